/** Versions of the terms and privacy notice a first sign-in accepts; bump when either text changes. */
export const TERMS_VERSION = '2025-08-14';
export const PRIVACY_VERSION = '2025-08-14';
