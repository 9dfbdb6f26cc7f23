import { LEGACY_SUITES, suiteTraits } from '../data/cipher-suites.ts';
import { MOZILLA_TLS_PROFILES, MOZILLA_TLS_VERSION } from '../data/mozilla-tls-profiles.ts';
import type { Check, FindingDraft, TlsDetailsArtefact, TlsVersion } from '../types.ts';
import { result, worst } from './helpers.ts';

const IANA = new Map(LEGACY_SUITES.map((s) => [s.openssl, s.iana]));
const LABEL: Record<TlsVersion, string> = {
  TLSv1: 'TLS 1.0',
  'TLSv1.1': 'TLS 1.1',
  'TLSv1.2': 'TLS 1.2',
  'TLSv1.3': 'TLS 1.3',
};
const LEGACY_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2'] as const;

function why(openssl: string): string {
  const t = suiteTraits(IANA.get(openssl) ?? openssl);
  const reasons = [
    !t.forwardSecrecy && 'no forward secrecy',
    !t.aead && 'not AEAD',
    t.insecure && 'broken cipher or MAC',
  ].filter(Boolean);
  return reasons.length ? `${openssl} (${reasons.join(', ')})` : openssl;
}

/** Which Mozilla profile the accepted suites fit, best first; undefined: not even "old". */
export function profileOf(d: TlsDetailsArtefact): 'modern' | 'intermediate' | 'old' | undefined {
  const legacy = LEGACY_VERSIONS.flatMap((v) => d.suites[v] ?? []);
  const legacyVersions = LEGACY_VERSIONS.filter((v) => (d.suites[v] ?? []).length > 0);
  if (legacy.length === 0) return 'modern';
  const { intermediate, old } = MOZILLA_TLS_PROFILES;
  if (
    legacyVersions.every((v) => intermediate.versions.includes(v)) &&
    legacy.every((c) => intermediate.ciphers.includes(c))
  )
    return 'intermediate';
  if (legacy.every((c) => old.ciphers.includes(c))) return 'old';
  return undefined;
}

export const tlsCipherSuites: Check = {
  id: 'tls-cipher-suites',
  category: 'transport',
  title: "Cipher suites match Mozilla's intermediate or modern profile",
  failureTitle: 'Weak or obsolete cipher suites are accepted',
  description:
    'Enumerates the cipher suites the server accepts for each TLS version with raw ClientHellos (so suites the ' +
    'local OpenSSL no longer implements, such as RC4, 3DES or export suites, are tested too) and compares them ' +
    `with Mozilla's server-side TLS profiles (guidelines ${MOZILLA_TLS_VERSION}): modern (TLS 1.3 only), ` +
    'intermediate (TLS 1.2 with forward-secret AEAD suites), old (CBC, RSA key exchange, 3DES). Each finding ' +
    'names the exact suites.',
  remediation:
    'Configure the intermediate profile from https://ssl-config.mozilla.org/ (e.g. nginx `ssl_ciphers ' +
    'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:…;`), which keeps only forward-secret AEAD suites.',
  references: ['https://wiki.mozilla.org/Security/Server_Side_TLS', 'https://ssl-config.mozilla.org/'],
  requires: ['tlsDetails'],
  outcomes: {
    'tls-cipher-suites-insecure': 'NULL, anonymous, export, RC4, DES or MD5 suites are accepted.',
    'tls-cipher-suites-old':
      "Only Mozilla's old profile fits: CBC, non-forward-secret or 3DES suites are accepted.",
    'tls-cipher-suites-nonstandard':
      "Suites outside even Mozilla's old profile (ARIA, CAMELLIA, CCM, SEED, IDEA…).",
    'tls-cipher-suites-intermediate': "The suites fit Mozilla's intermediate profile.",
    'tls-cipher-suites-modern': "TLS 1.3 only: Mozilla's modern profile.",
  },
  run(a) {
    const d = a.tlsDetails!;
    const tested = (['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const).filter(
      (v) => d.suites[v] !== undefined,
    );
    if (tested.length === 0) throw new Error('no TLS version could be probed');
    const summary = tested
      .map(
        (v) =>
          `${LABEL[v]}: ${(d.suites[v] ?? []).join(' ') || 'refused'}${d.incomplete.includes(v) ? ' (and possibly more)' : ''}`,
      )
      .join('; ');
    const found: FindingDraft[] = [];
    const { intermediate, old } = MOZILLA_TLS_PROFILES;
    for (const v of LEGACY_VERSIONS) {
      const suites = d.suites[v] ?? [];
      const insecure = suites.filter((c) => suiteTraits(IANA.get(c) ?? c).insecure);
      const nonstandard = suites.filter((c) => !insecure.includes(c) && !old.ciphers.includes(c));
      const oldOnly = suites.filter(
        (c) => !insecure.includes(c) && !nonstandard.includes(c) && !intermediate.ciphers.includes(c),
      );
      if (insecure.length)
        found.push({
          outcome: 'tls-cipher-suites-insecure',
          title: `${LABEL[v]} accepts insecure cipher suites`,
          evidence: `${LABEL[v]}: ${insecure.map(why).join(', ')}`,
        });
      if (nonstandard.length)
        found.push({
          outcome: 'tls-cipher-suites-nonstandard',
          title: `${LABEL[v]} accepts suites outside Mozilla's profiles`,
          evidence: `${LABEL[v]}: ${nonstandard.map(why).join(', ')}`,
        });
      if (oldOnly.length)
        found.push({
          outcome: 'tls-cipher-suites-old',
          title: `${LABEL[v]} accepts suites of Mozilla's old profile only`,
          evidence: `${LABEL[v]}: ${oldOnly.map(why).join(', ')}`,
        });
    }
    const bad = worst(found, Object.keys(tlsCipherSuites.outcomes), (o) =>
      o === 'tls-cipher-suites-nonstandard' ? 'warn' : 'fail',
    );
    if (bad) return { ...bad, evidence: summary };
    const profile = profileOf(d);
    if (profile === 'modern') return result('tls-cipher-suites-modern', 'pass', summary);
    return result('tls-cipher-suites-intermediate', 'pass', summary);
  },
};
