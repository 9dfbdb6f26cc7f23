/**
 * TLS cipher suites the raw ClientHello prober offers (gather/tls-hello.ts): IANA code point,
 * OpenSSL name (what Mozilla's profiles and server configs use) and IANA name. Raw hellos can
 * offer suites the local OpenSSL no longer implements (RC4, 3DES, export, NULL), because the
 * probe stops at the ServerHello. Code points: IANA "TLS Cipher Suites" registry; a test checks
 * every suite the local OpenSSL can serve against this table.
 */
export interface CipherSuite {
  id: number;
  openssl: string;
  iana: string;
  /** TLS 1.3 suites are only valid in TLS 1.3, the others only below it. */
  tls13?: true;
}

const s = (id: number, openssl: string, iana: string): CipherSuite => ({ id, openssl, iana });
const t13 = (id: number, iana: string): CipherSuite => ({ id, openssl: iana, iana, tls13: true });

export const TLS13_SUITES: readonly CipherSuite[] = [
  t13(0x1301, 'TLS_AES_128_GCM_SHA256'),
  t13(0x1302, 'TLS_AES_256_GCM_SHA384'),
  t13(0x1303, 'TLS_CHACHA20_POLY1305_SHA256'),
  t13(0x1304, 'TLS_AES_128_CCM_SHA256'),
  t13(0x1305, 'TLS_AES_128_CCM_8_SHA256'),
];

export const LEGACY_SUITES: readonly CipherSuite[] = [
  s(0xc02b, 'ECDHE-ECDSA-AES128-GCM-SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'),
  s(0xc02f, 'ECDHE-RSA-AES128-GCM-SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'),
  s(0xc02c, 'ECDHE-ECDSA-AES256-GCM-SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'),
  s(0xc030, 'ECDHE-RSA-AES256-GCM-SHA384', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'),
  s(0xcca9, 'ECDHE-ECDSA-CHACHA20-POLY1305', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'),
  s(0xcca8, 'ECDHE-RSA-CHACHA20-POLY1305', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'),
  s(0x009e, 'DHE-RSA-AES128-GCM-SHA256', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256'),
  s(0x009f, 'DHE-RSA-AES256-GCM-SHA384', 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384'),
  s(0xccaa, 'DHE-RSA-CHACHA20-POLY1305', 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256'),
  s(0xc023, 'ECDHE-ECDSA-AES128-SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256'),
  s(0xc027, 'ECDHE-RSA-AES128-SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256'),
  s(0xc009, 'ECDHE-ECDSA-AES128-SHA', 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA'),
  s(0xc013, 'ECDHE-RSA-AES128-SHA', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'),
  s(0xc024, 'ECDHE-ECDSA-AES256-SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384'),
  s(0xc028, 'ECDHE-RSA-AES256-SHA384', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384'),
  s(0xc00a, 'ECDHE-ECDSA-AES256-SHA', 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA'),
  s(0xc014, 'ECDHE-RSA-AES256-SHA', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA'),
  s(0x0067, 'DHE-RSA-AES128-SHA256', 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256'),
  s(0x006b, 'DHE-RSA-AES256-SHA256', 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256'),
  s(0x0033, 'DHE-RSA-AES128-SHA', 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA'),
  s(0x0039, 'DHE-RSA-AES256-SHA', 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA'),
  s(0x009c, 'AES128-GCM-SHA256', 'TLS_RSA_WITH_AES_128_GCM_SHA256'),
  s(0x009d, 'AES256-GCM-SHA384', 'TLS_RSA_WITH_AES_256_GCM_SHA384'),
  s(0x003c, 'AES128-SHA256', 'TLS_RSA_WITH_AES_128_CBC_SHA256'),
  s(0x003d, 'AES256-SHA256', 'TLS_RSA_WITH_AES_256_CBC_SHA256'),
  s(0x002f, 'AES128-SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA'),
  s(0x0035, 'AES256-SHA', 'TLS_RSA_WITH_AES_256_CBC_SHA'),
  s(0xc0ac, 'ECDHE-ECDSA-AES128-CCM', 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM'),
  s(0xc0ad, 'ECDHE-ECDSA-AES256-CCM', 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM'),
  s(0xc09e, 'DHE-RSA-AES128-CCM', 'TLS_DHE_RSA_WITH_AES_128_CCM'),
  s(0xc09f, 'DHE-RSA-AES256-CCM', 'TLS_DHE_RSA_WITH_AES_256_CCM'),
  s(0xc09c, 'AES128-CCM', 'TLS_RSA_WITH_AES_128_CCM'),
  s(0xc09d, 'AES256-CCM', 'TLS_RSA_WITH_AES_256_CCM'),
  s(0xc05c, 'ECDHE-ECDSA-ARIA128-GCM-SHA256', 'TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256'),
  s(0xc060, 'ECDHE-ARIA128-GCM-SHA256', 'TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256'),
  s(0xc052, 'DHE-RSA-ARIA128-GCM-SHA256', 'TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256'),
  s(0xc050, 'ARIA128-GCM-SHA256', 'TLS_RSA_WITH_ARIA_128_GCM_SHA256'),
  s(0x0041, 'CAMELLIA128-SHA', 'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA'),
  s(0x0084, 'CAMELLIA256-SHA', 'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA'),
  s(0x0045, 'DHE-RSA-CAMELLIA128-SHA', 'TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA'),
  s(0x0088, 'DHE-RSA-CAMELLIA256-SHA', 'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA'),
  s(0x0096, 'SEED-SHA', 'TLS_RSA_WITH_SEED_CBC_SHA'),
  s(0x0007, 'IDEA-CBC-SHA', 'TLS_RSA_WITH_IDEA_CBC_SHA'),
  s(0xc012, 'ECDHE-RSA-DES-CBC3-SHA', 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA'),
  s(0xc008, 'ECDHE-ECDSA-DES-CBC3-SHA', 'TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA'),
  s(0x0016, 'EDH-RSA-DES-CBC3-SHA', 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA'),
  s(0x000a, 'DES-CBC3-SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'),
  s(0xc011, 'ECDHE-RSA-RC4-SHA', 'TLS_ECDHE_RSA_WITH_RC4_128_SHA'),
  s(0xc007, 'ECDHE-ECDSA-RC4-SHA', 'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA'),
  s(0x0005, 'RC4-SHA', 'TLS_RSA_WITH_RC4_128_SHA'),
  s(0x0004, 'RC4-MD5', 'TLS_RSA_WITH_RC4_128_MD5'),
  s(0x0015, 'EDH-RSA-DES-CBC-SHA', 'TLS_DHE_RSA_WITH_DES_CBC_SHA'),
  s(0x0009, 'DES-CBC-SHA', 'TLS_RSA_WITH_DES_CBC_SHA'),
  s(0x0014, 'EXP-EDH-RSA-DES-CBC-SHA', 'TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA'),
  s(0x0008, 'EXP-DES-CBC-SHA', 'TLS_RSA_EXPORT_WITH_DES40_CBC_SHA'),
  s(0x0006, 'EXP-RC2-CBC-MD5', 'TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5'),
  s(0x0003, 'EXP-RC4-MD5', 'TLS_RSA_EXPORT_WITH_RC4_40_MD5'),
  s(0xc018, 'AECDH-AES128-SHA', 'TLS_ECDH_anon_WITH_AES_128_CBC_SHA'),
  s(0x0034, 'ADH-AES128-SHA', 'TLS_DH_anon_WITH_AES_128_CBC_SHA'),
  s(0x003a, 'ADH-AES256-SHA', 'TLS_DH_anon_WITH_AES_256_CBC_SHA'),
  s(0x0018, 'ADH-RC4-MD5', 'TLS_DH_anon_WITH_RC4_128_MD5'),
  s(0xc010, 'ECDHE-RSA-NULL-SHA', 'TLS_ECDHE_RSA_WITH_NULL_SHA'),
  s(0x003b, 'NULL-SHA256', 'TLS_RSA_WITH_NULL_SHA256'),
  s(0x0002, 'NULL-SHA', 'TLS_RSA_WITH_NULL_SHA'),
  s(0x0001, 'NULL-MD5', 'TLS_RSA_WITH_NULL_MD5'),
];

const BY_ID = new Map([...TLS13_SUITES, ...LEGACY_SUITES].map((c) => [c.id, c]));

export function suiteById(id: number): CipherSuite | undefined {
  return BY_ID.get(id);
}

/** What a suite is made of, read from its IANA name. */
export function suiteTraits(iana: string): {
  forwardSecrecy: boolean;
  aead: boolean;
  /** Broken or without protection: NULL, anonymous, export, RC4, single DES, MD5. */
  insecure: boolean;
  kx: 'ECDHE' | 'DHE' | 'RSA' | 'anon' | 'TLS13';
} {
  const kx = iana.includes('_anon_')
    ? 'anon'
    : iana.startsWith('TLS_ECDHE_')
      ? 'ECDHE'
      : iana.startsWith('TLS_DHE_')
        ? 'DHE'
        : iana.startsWith('TLS_RSA_')
          ? 'RSA'
          : 'TLS13';
  const aead = /_GCM_|CHACHA20_POLY1305|_CCM/.test(iana);
  const insecure = /_NULL_|_anon_|EXPORT|_RC4_|_DES_CBC_|_DES40_|_RC2_|_MD5$/.test(iana);
  return { forwardSecrecy: kx !== 'RSA' && kx !== 'anon', aead, insecure, kx };
}
