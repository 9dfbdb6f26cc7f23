import type { Check } from '../types.ts';
import { finalResponse, headerValues, quote, result } from './helpers.ts';

const PRIVATE = new Set(['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin']);
const UNSAFE = new Set(['origin', 'origin-when-cross-origin', 'unsafe-url', 'no-referrer-when-downgrade']);

export const referrerPolicy: Check = {
  id: 'referrer-policy',
  category: 'headers',
  title: 'Referrer-Policy keeps URLs private',
  failureTitle: 'Referrer-Policy leaks URLs to other sites',
  description:
    'Checks Referrer-Policy. Full URLs (with paths and query strings) must not be sent to other origins.',
  remediation: 'Send `Referrer-Policy: strict-origin-when-cross-origin` (or `no-referrer`).',
  references: ['https://www.w3.org/TR/referrer-policy/'],
  requires: ['page'],
  outcomes: {
    'referrer-policy-unsafe': 'The policy sends full URLs cross-origin or over HTTP.',
    'referrer-policy-invalid': 'No recognised policy token.',
    'referrer-policy-missing': 'No header; browsers default to strict-origin-when-cross-origin.',
    'referrer-policy-private': 'A private policy is set.',
  },
  run(a) {
    const raw = headerValues(finalResponse(a)?.headers, 'referrer-policy').join(',');
    if (raw.trim() === '') {
      return result('referrer-policy-missing', 'warn', 'header absent', [
        {
          outcome: 'referrer-policy-missing',
          title: 'Referrer-Policy is not set',
          evidence: 'header absent',
        },
      ]);
    }
    // Referrer Policy §8.1: the last recognised token wins, unknown tokens are skipped.
    const tokens = raw.split(',').map((t) => t.trim().toLowerCase());
    const policy = tokens.filter((t) => PRIVATE.has(t) || UNSAFE.has(t)).pop();
    const ev = `Referrer-Policy: ${quote(raw)}`;
    if (policy === undefined) {
      return result('referrer-policy-invalid', 'fail', ev, [
        { outcome: 'referrer-policy-invalid', title: 'Referrer-Policy is not recognised', evidence: ev },
      ]);
    }
    if (UNSAFE.has(policy)) {
      return result('referrer-policy-unsafe', 'fail', ev, [
        { outcome: 'referrer-policy-unsafe', title: `Referrer-Policy ${policy} leaks URLs`, evidence: ev },
      ]);
    }
    return result('referrer-policy-private', 'pass', ev);
  },
};
