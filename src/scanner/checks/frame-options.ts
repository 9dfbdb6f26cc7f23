import { getDirective, parseCspHeader } from '../parse/csp.ts';
import type { Check } from '../types.ts';
import { finalResponse, headerValues, quote, result } from './helpers.ts';

const BROAD = new Set(['*', 'http:', 'https:', 'http://*', 'https://*']);

export const frameOptions: Check = {
  id: 'frame-options',
  category: 'headers',
  title: 'The page cannot be framed by other sites',
  failureTitle: 'The page can be framed by any site (clickjacking)',
  description:
    'Checks CSP `frame-ancestors` (preferred) or `X-Frame-Options: DENY|SAMEORIGIN`, which stop other sites ' +
    'from framing the page to trick clicks.',
  remediation:
    "Send `Content-Security-Policy: frame-ancestors 'none'` (or 'self'), and `X-Frame-Options: DENY` for old browsers.",
  references: [
    'https://www.w3.org/TR/CSP3/#directive-frame-ancestors',
    'https://www.rfc-editor.org/rfc/rfc7034',
  ],
  requires: ['page'],
  outcomes: {
    'frame-options-missing': 'Neither frame-ancestors nor X-Frame-Options is set.',
    'frame-options-permissive': 'frame-ancestors allows any host or scheme.',
    'frame-options-invalid': 'X-Frame-Options has an unrecognised value.',
    'frame-options-allow-from': 'X-Frame-Options uses ALLOW-FROM, which modern browsers ignore.',
    'frame-options-x-frame-options': 'X-Frame-Options is DENY or SAMEORIGIN.',
    'frame-options-frame-ancestors': 'CSP frame-ancestors restricts framing.',
  },
  run(a) {
    const headers = finalResponse(a)?.headers;
    const ancestors = headerValues(headers, 'content-security-policy')
      .flatMap(parseCspHeader)
      .map((p) => getDirective(p, 'frame-ancestors'))
      .filter((d) => d !== undefined);
    const xfo = headerValues(headers, 'x-frame-options').join(', ');
    const xfoEv = `X-Frame-Options: ${quote(xfo)}`;
    if (ancestors.length > 0) {
      // Several policies all apply; framing is allowed only if every one allows it.
      const open = ancestors.every((d) => d.values.some((v) => BROAD.has(v.toLowerCase())));
      const ev = ancestors.map((d) => `frame-ancestors ${d.values.join(' ')}`).join('; ');
      if (open) {
        return result('frame-options-permissive', 'fail', quote(ev), [
          {
            outcome: 'frame-options-permissive',
            title: 'frame-ancestors allows any site to frame the page',
            evidence: quote(ev),
          },
        ]);
      }
      return result('frame-options-frame-ancestors', 'pass', quote(ev));
    }
    if (xfo === '') {
      return result('frame-options-missing', 'fail', 'no frame-ancestors, no X-Frame-Options', [
        {
          outcome: 'frame-options-missing',
          title: 'No clickjacking protection',
          evidence: 'both headers absent',
        },
      ]);
    }
    const value = xfo.trim().toUpperCase();
    if (value === 'DENY' || value === 'SAMEORIGIN')
      return result('frame-options-x-frame-options', 'pass', xfoEv);
    if (value.startsWith('ALLOW-FROM')) {
      return result('frame-options-allow-from', 'warn', xfoEv, [
        {
          outcome: 'frame-options-allow-from',
          title: 'X-Frame-Options ALLOW-FROM is ignored by browsers',
          evidence: xfoEv,
        },
      ]);
    }
    return result('frame-options-invalid', 'fail', xfoEv, [
      { outcome: 'frame-options-invalid', title: 'X-Frame-Options has an invalid value', evidence: xfoEv },
    ]);
  },
};
