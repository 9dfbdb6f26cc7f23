import type { Check } from '../types.ts';
import { headerValue, quote, result } from './helpers.ts';

export const cors: Check = {
  id: 'cors',
  category: 'headers',
  title: 'CORS does not grant other sites credentialed access',
  failureTitle: 'CORS lets other sites read responses',
  description:
    'Sends a request with a foreign `Origin` and reads Access-Control-Allow-Origin/-Credentials. Reflecting any ' +
    'origin with credentials lets any site read a signed-in user’s data.',
  remediation:
    'Allow only a fixed list of trusted origins; never reflect the Origin header. Use `*` without credentials ' +
    'only for truly public data, or omit both headers.',
  references: [
    'https://fetch.spec.whatwg.org/#http-cors-protocol',
    'https://portswigger.net/web-security/cors',
  ],
  requires: ['cors'],
  outcomes: {
    'cors-reflected-origin-with-credentials': 'Any origin is reflected and credentials are allowed.',
    'cors-null-origin-with-credentials': 'Origin `null` is allowed with credentials.',
    'cors-reflected-origin': 'Any origin is reflected (no credentials).',
    'cors-wildcard': 'Access-Control-Allow-Origin: * (public, no credentials).',
    'cors-restricted': 'Access is allowed only to specific other origins.',
    'cors-not-enabled': 'No Access-Control-Allow-Origin for a foreign origin.',
  },
  run(a) {
    const probe = a.cors;
    if (!probe) throw new Error('no CORS probe');
    const allowOrigin = headerValue(probe.headers, 'access-control-allow-origin')?.trim();
    const credentials =
      headerValue(probe.headers, 'access-control-allow-credentials')?.trim().toLowerCase() === 'true';
    const ev =
      `Origin ${quote(probe.origin)} → Access-Control-Allow-Origin ${quote(allowOrigin ?? '(absent)')}` +
      `, Allow-Credentials ${credentials}`;
    if (allowOrigin === undefined || allowOrigin === '') return result('cors-not-enabled', 'pass', ev);
    if (allowOrigin === probe.origin) {
      const outcome = credentials ? 'cors-reflected-origin-with-credentials' : 'cors-reflected-origin';
      return result(outcome, credentials ? 'fail' : 'warn', ev, [
        {
          outcome,
          title: credentials ? 'CORS reflects any origin with credentials' : 'CORS reflects any origin',
          evidence: ev,
        },
      ]);
    }
    if (allowOrigin === 'null' && credentials) {
      return result('cors-null-origin-with-credentials', 'fail', ev, [
        {
          outcome: 'cors-null-origin-with-credentials',
          title: 'CORS allows the null origin with credentials',
          evidence: ev,
        },
      ]);
    }
    if (allowOrigin === '*') {
      return result('cors-wildcard', 'warn', ev, [
        { outcome: 'cors-wildcard', title: 'CORS allows every site to read responses (*)', evidence: ev },
      ]);
    }
    return result('cors-restricted', 'pass', ev);
  },
};
