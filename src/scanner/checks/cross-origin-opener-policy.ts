import type { Check } from '../types.ts';
import { finalResponse, quote, result, structuredToken } from './helpers.ts';

export const crossOriginOpenerPolicy: Check = {
  id: 'cross-origin-opener-policy',
  category: 'headers',
  title: 'Cross-Origin-Opener-Policy isolates the window',
  failureTitle: 'Cross-Origin-Opener-Policy is missing or weak',
  description:
    'Checks COOP, which cuts the link between this window and cross-origin windows that open it or that it opens ' +
    '(defeating XS-Leaks and tab-nabbing via window.opener).',
  remediation:
    'Send `Cross-Origin-Opener-Policy: same-origin` (or `same-origin-allow-popups` if you rely on OAuth/payment popups).',
  references: ['https://html.spec.whatwg.org/multipage/browsers.html#cross-origin-opener-policies'],
  requires: ['page'],
  outcomes: {
    'cross-origin-opener-policy-invalid': 'The header value is not a recognised policy.',
    'cross-origin-opener-policy-unsafe-none': 'The header explicitly disables isolation (unsafe-none).',
    'cross-origin-opener-policy-missing': 'No header (defaults to unsafe-none).',
    'cross-origin-opener-policy-allow-popups': 'same-origin-allow-popups or noopener-allow-popups.',
    'cross-origin-opener-policy-same-origin': 'same-origin.',
  },
  run(a) {
    const h = structuredToken(finalResponse(a)?.headers, 'cross-origin-opener-policy');
    if (h.kind === 'missing') {
      return result('cross-origin-opener-policy-missing', 'warn', 'header absent', [
        {
          outcome: 'cross-origin-opener-policy-missing',
          title: 'Cross-Origin-Opener-Policy is not set',
          evidence: 'header absent',
        },
      ]);
    }
    const ev = `Cross-Origin-Opener-Policy: ${quote(h.raw)}`;
    const token = h.kind === 'token' ? h.token : '';
    if (token === 'same-origin') return result('cross-origin-opener-policy-same-origin', 'pass', ev);
    if (token === 'same-origin-allow-popups' || token === 'noopener-allow-popups') {
      return result('cross-origin-opener-policy-allow-popups', 'pass', ev);
    }
    if (token === 'unsafe-none') {
      return result('cross-origin-opener-policy-unsafe-none', 'warn', ev, [
        {
          outcome: 'cross-origin-opener-policy-unsafe-none',
          title: 'Cross-Origin-Opener-Policy disables isolation',
          evidence: ev,
        },
      ]);
    }
    return result('cross-origin-opener-policy-invalid', 'fail', ev, [
      {
        outcome: 'cross-origin-opener-policy-invalid',
        title: 'Cross-Origin-Opener-Policy is invalid',
        evidence: ev,
      },
    ]);
  },
};
