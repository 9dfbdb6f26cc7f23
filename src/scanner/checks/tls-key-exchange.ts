import { MOZILLA_TLS_PROFILES } from '../data/mozilla-tls-profiles.ts';
import type { Check } from '../types.ts';
import { result } from './helpers.ts';

/** Logjam (weakdh.org): DH groups below 1024 bits are breakable; Mozilla intermediate asks for 2048. */
const BROKEN_DH_BITS = 1024;

export const tlsKeyExchange: Check = {
  id: 'tls-key-exchange',
  category: 'transport',
  title: 'Key exchange uses strong groups',
  failureTitle: 'Key exchange uses weak parameters',
  description:
    'Reads the key-exchange groups the server accepts (over TLS 1.3, one HelloRetryRequest per group; otherwise ' +
    'the curve of its TLS 1.2 ServerKeyExchange) and the size of finite-field Diffie-Hellman primes in DHE ' +
    `suites. Mozilla's intermediate profile asks for X25519, P-256 or P-384 and DH groups of at least ` +
    `${MOZILLA_TLS_PROFILES.intermediate.dhParamSize} bits; below ${BROKEN_DH_BITS} bits DH is breakable (Logjam).`,
  remediation:
    'Offer X25519 and P-256 (e.g. nginx `ssl_ecdh_curve X25519:prime256v1:secp384r1;`) and use the RFC 7919 ' +
    'ffdhe2048 group or larger for DHE, or drop DHE suites.',
  references: [
    'https://wiki.mozilla.org/Security/Server_Side_TLS',
    'https://weakdh.org/',
    'https://www.rfc-editor.org/rfc/rfc7919',
  ],
  requires: ['tlsDetails'],
  outcomes: {
    'tls-key-exchange-broken-dh': `A DH group below ${BROKEN_DH_BITS} bits (Logjam).`,
    'tls-key-exchange-weak-dh': `A DH group below ${MOZILLA_TLS_PROFILES.intermediate.dhParamSize} bits.`,
    'tls-key-exchange-no-recommended-group': 'None of X25519, P-256 or P-384 is accepted.',
    'tls-key-exchange-strong': 'Recommended groups, and DH groups (if any) of at least 2048 bits.',
  },
  run(a) {
    const d = a.tlsDetails!;
    const groups = d.groups ?? [];
    const ev = `groups: ${groups.join(', ') || 'not determined'}; DHE prime: ${d.dhBits !== undefined ? `${d.dhBits} bits` : 'no DHE suite chosen'}`;
    if (d.dhBits !== undefined && d.dhBits < BROKEN_DH_BITS)
      return result('tls-key-exchange-broken-dh', 'fail', ev, [
        {
          outcome: 'tls-key-exchange-broken-dh',
          title: `DHE uses a ${d.dhBits}-bit group (Logjam)`,
          evidence: ev,
        },
      ]);
    if (d.dhBits !== undefined && d.dhBits < (MOZILLA_TLS_PROFILES.intermediate.dhParamSize ?? 2048))
      return result('tls-key-exchange-weak-dh', 'fail', ev, [
        { outcome: 'tls-key-exchange-weak-dh', title: `DHE uses a ${d.dhBits}-bit group`, evidence: ev },
      ]);
    if (groups.length > 0 && !groups.some((g) => MOZILLA_TLS_PROFILES.intermediate.groups.includes(g)))
      return result('tls-key-exchange-no-recommended-group', 'warn', ev, [
        {
          outcome: 'tls-key-exchange-no-recommended-group',
          title: 'No recommended key-exchange group is accepted',
          evidence: ev,
        },
      ]);
    return result('tls-key-exchange-strong', 'pass', ev);
  },
};
