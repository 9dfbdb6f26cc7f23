/** How long the scanned URL of an expired public report is kept, so its link says "expired" rather than "unknown". */
export const EXPIRED_NOTICE_DAYS = 1;
