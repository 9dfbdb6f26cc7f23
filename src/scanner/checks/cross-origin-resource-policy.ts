import type { Check } from '../types.ts';
import { finalResponse, quote, result, structuredToken } from './helpers.ts';

export const crossOriginResourcePolicy: Check = {
  id: 'cross-origin-resource-policy',
  category: 'headers',
  title: 'Cross-Origin-Resource-Policy limits who may embed the response',
  failureTitle: 'Cross-Origin-Resource-Policy is missing or invalid',
  description:
    'Checks CORP, which stops other sites loading this response as a subresource (Spectre-style leaks).',
  remediation:
    'Send `Cross-Origin-Resource-Policy: same-origin` (or `same-site`); use `cross-origin` only for public assets.',
  references: ['https://fetch.spec.whatwg.org/#cross-origin-resource-policy-header'],
  requires: ['page'],
  outcomes: {
    'cross-origin-resource-policy-invalid': 'The header value is not same-origin, same-site or cross-origin.',
    'cross-origin-resource-policy-missing': 'No header (any site may embed the response).',
    'cross-origin-resource-policy-cross-origin': 'cross-origin: embedding by any site is allowed on purpose.',
    'cross-origin-resource-policy-restricted': 'same-origin or same-site.',
  },
  run(a) {
    const h = structuredToken(finalResponse(a)?.headers, 'cross-origin-resource-policy');
    if (h.kind === 'missing') {
      return result('cross-origin-resource-policy-missing', 'warn', 'header absent', [
        {
          outcome: 'cross-origin-resource-policy-missing',
          title: 'Cross-Origin-Resource-Policy is not set',
          evidence: 'header absent',
        },
      ]);
    }
    const ev = `Cross-Origin-Resource-Policy: ${quote(h.raw)}`;
    const token = h.kind === 'token' ? h.token : '';
    if (token === 'same-origin' || token === 'same-site')
      return result('cross-origin-resource-policy-restricted', 'pass', ev);
    if (token === 'cross-origin') return result('cross-origin-resource-policy-cross-origin', 'pass', ev);
    return result('cross-origin-resource-policy-invalid', 'fail', ev, [
      {
        outcome: 'cross-origin-resource-policy-invalid',
        title: 'Cross-Origin-Resource-Policy is invalid',
        evidence: ev,
      },
    ]);
  },
};
