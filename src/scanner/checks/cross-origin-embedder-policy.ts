import type { Check } from '../types.ts';
import { finalResponse, quote, result, structuredToken } from './helpers.ts';

export const crossOriginEmbedderPolicy: Check = {
  id: 'cross-origin-embedder-policy',
  category: 'headers',
  title: 'Cross-Origin-Embedder-Policy requires opt-in from embedded resources',
  failureTitle: 'Cross-Origin-Embedder-Policy is missing or invalid',
  description:
    'Checks COEP, which (with COOP same-origin) makes the page cross-origin isolated: it may only load ' +
    'cross-origin resources that opt in via CORS or CORP.',
  remediation:
    'Send `Cross-Origin-Embedder-Policy: require-corp` (or `credentialless`) once every embedded resource allows it.',
  references: ['https://html.spec.whatwg.org/multipage/browsers.html#coep'],
  requires: ['page'],
  outcomes: {
    'cross-origin-embedder-policy-invalid': 'The header value is not a recognised policy.',
    'cross-origin-embedder-policy-unsafe-none': 'unsafe-none: no embedding restriction.',
    'cross-origin-embedder-policy-missing': 'No header (defaults to unsafe-none).',
    'cross-origin-embedder-policy-enabled': 'require-corp or credentialless.',
  },
  run(a) {
    const h = structuredToken(finalResponse(a)?.headers, 'cross-origin-embedder-policy');
    if (h.kind === 'missing') {
      return result('cross-origin-embedder-policy-missing', 'warn', 'header absent', [
        {
          outcome: 'cross-origin-embedder-policy-missing',
          title: 'Cross-Origin-Embedder-Policy is not set',
          evidence: 'header absent',
        },
      ]);
    }
    const ev = `Cross-Origin-Embedder-Policy: ${quote(h.raw)}`;
    const token = h.kind === 'token' ? h.token : '';
    if (token === 'require-corp' || token === 'credentialless')
      return result('cross-origin-embedder-policy-enabled', 'pass', ev);
    if (token === 'unsafe-none') {
      return result('cross-origin-embedder-policy-unsafe-none', 'warn', ev, [
        {
          outcome: 'cross-origin-embedder-policy-unsafe-none',
          title: 'Cross-Origin-Embedder-Policy is unsafe-none',
          evidence: ev,
        },
      ]);
    }
    return result('cross-origin-embedder-policy-invalid', 'fail', ev, [
      {
        outcome: 'cross-origin-embedder-policy-invalid',
        title: 'Cross-Origin-Embedder-Policy is invalid',
        evidence: ev,
      },
    ]);
  },
};
