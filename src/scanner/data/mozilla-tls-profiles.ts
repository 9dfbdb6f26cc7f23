/**
 * Mozilla's server-side TLS recommendations, as data. Source: the machine-readable guidelines
 * behind ssl-config.mozilla.org, version 5.7 (https://ssl-config.mozilla.org/guidelines/5.7.json,
 * wiki https://wiki.mozilla.org/Security/Server_Side_TLS), transcribed by hand: when Mozilla
 * publishes a new version, update the lists and `version` together (docs/third-party-data.md).
 * Suites below TLS 1.3 use OpenSSL names, as Mozilla does.
 */
export const MOZILLA_TLS_SOURCE = 'https://ssl-config.mozilla.org/guidelines/5.7.json';
export const MOZILLA_TLS_VERSION = '5.7';

export type ProfileName = 'modern' | 'intermediate' | 'old';

export interface TlsProfile {
  versions: string[];
  /** TLS 1.3 suites (IANA names). */
  ciphersuites: string[];
  /** Suites for TLS 1.2 and below (OpenSSL names). */
  ciphers: string[];
  groups: string[];
  /** Smallest finite-field DH group in bits, when DHE suites are allowed. */
  dhParamSize?: number;
  rsaKeySize?: number;
}

const TLS13 = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
const GROUPS = ['x25519', 'secp256r1', 'secp384r1'];
const INTERMEDIATE_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'DHE-RSA-AES128-GCM-SHA256',
  'DHE-RSA-AES256-GCM-SHA384',
  'DHE-RSA-CHACHA20-POLY1305',
];

export const MOZILLA_TLS_PROFILES: Record<ProfileName, TlsProfile> = {
  modern: { versions: ['TLSv1.3'], ciphersuites: TLS13, ciphers: [], groups: GROUPS },
  intermediate: {
    versions: ['TLSv1.2', 'TLSv1.3'],
    ciphersuites: TLS13,
    ciphers: INTERMEDIATE_CIPHERS,
    groups: GROUPS,
    dhParamSize: 2048,
    rsaKeySize: 2048,
  },
  old: {
    versions: ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
    ciphersuites: TLS13,
    ciphers: [
      ...INTERMEDIATE_CIPHERS,
      'ECDHE-ECDSA-AES128-SHA256',
      'ECDHE-RSA-AES128-SHA256',
      'ECDHE-ECDSA-AES128-SHA',
      'ECDHE-RSA-AES128-SHA',
      'ECDHE-ECDSA-AES256-SHA384',
      'ECDHE-RSA-AES256-SHA384',
      'ECDHE-ECDSA-AES256-SHA',
      'ECDHE-RSA-AES256-SHA',
      'DHE-RSA-AES128-SHA256',
      'DHE-RSA-AES256-SHA256',
      'AES128-GCM-SHA256',
      'AES256-GCM-SHA384',
      'AES128-SHA256',
      'AES256-SHA256',
      'AES128-SHA',
      'AES256-SHA',
      'DES-CBC3-SHA',
    ],
    groups: GROUPS,
    dhParamSize: 1024,
    rsaKeySize: 2048,
  },
};
