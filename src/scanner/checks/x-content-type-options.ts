import type { Check } from '../types.ts';
import { finalResponse, headerValues, quote, result } from './helpers.ts';

export const xContentTypeOptions: Check = {
  id: 'x-content-type-options',
  category: 'headers',
  title: 'X-Content-Type-Options is nosniff',
  failureTitle: 'X-Content-Type-Options is missing or invalid',
  description:
    'Checks `X-Content-Type-Options: nosniff`, which stops browsers guessing content types (MIME sniffing).',
  remediation: 'Send `X-Content-Type-Options: nosniff` on every response.',
  references: ['https://fetch.spec.whatwg.org/#x-content-type-options-header'],
  requires: ['page'],
  outcomes: {
    'x-content-type-options-missing': 'The header is absent.',
    'x-content-type-options-invalid': 'The header is present but not `nosniff`.',
    'x-content-type-options-nosniff': 'The header is `nosniff`.',
  },
  run(a) {
    const values = headerValues(finalResponse(a)?.headers, 'x-content-type-options');
    if (values.length === 0) {
      return result('x-content-type-options-missing', 'fail', 'header absent', [
        {
          outcome: 'x-content-type-options-missing',
          title: 'X-Content-Type-Options is missing',
          evidence: 'header absent',
        },
      ]);
    }
    const ev = `X-Content-Type-Options: ${quote(values.join(', '))}`;
    // Fetch §"determine nosniff": only the first comma-separated value counts.
    if (values.join(',').split(',')[0]?.trim().toLowerCase() !== 'nosniff') {
      return result('x-content-type-options-invalid', 'fail', ev, [
        {
          outcome: 'x-content-type-options-invalid',
          title: 'X-Content-Type-Options is not nosniff',
          evidence: ev,
        },
      ]);
    }
    return result('x-content-type-options-nosniff', 'pass', ev);
  },
};
