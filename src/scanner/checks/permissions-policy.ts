import type { Check } from '../types.ts';
import { finalResponse, headerValues, quote, result } from './helpers.ts';

// One dictionary member: feature=allowlist, where the allowlist is *, self, "origin" or an inner list.
const MEMBER = /^[a-z][a-z0-9_\-.*]*\s*=\s*(\*|self|"[^"]*"|\((\s*(\*|self|src|"[^"]*"))*\s*\))\s*(;.*)?$/i;

export const permissionsPolicy: Check = {
  id: 'permissions-policy',
  category: 'headers',
  title: 'Permissions-Policy limits powerful features',
  failureTitle: 'Permissions-Policy is missing or invalid',
  description:
    'Checks for a syntactically valid Permissions-Policy header, which switches off browser features ' +
    '(camera, microphone, geolocation, …) the site does not use, including inside third-party iframes.',
  remediation:
    'Send e.g. `Permissions-Policy: camera=(), microphone=(), geolocation=(), payment=()` for unused features.',
  references: ['https://www.w3.org/TR/permissions-policy/', 'https://www.rfc-editor.org/rfc/rfc8941'],
  requires: ['page'],
  outcomes: {
    'permissions-policy-invalid':
      'The header is not a valid structured-field dictionary, so browsers ignore it.',
    'permissions-policy-feature-policy-only': 'Only the deprecated Feature-Policy header is sent.',
    'permissions-policy-missing': 'No Permissions-Policy header.',
    'permissions-policy-present': 'A valid Permissions-Policy header is sent.',
  },
  run(a) {
    const headers = finalResponse(a)?.headers;
    const raw = headerValues(headers, 'permissions-policy').join(', ');
    if (raw.trim() === '') {
      if (headerValues(headers, 'feature-policy').length > 0) {
        const ev = `Feature-Policy: ${quote(headerValues(headers, 'feature-policy').join(', '))}`;
        return result('permissions-policy-feature-policy-only', 'warn', ev, [
          {
            outcome: 'permissions-policy-feature-policy-only',
            title: 'Only the deprecated Feature-Policy is sent',
            evidence: ev,
          },
        ]);
      }
      return result('permissions-policy-missing', 'warn', 'header absent', [
        {
          outcome: 'permissions-policy-missing',
          title: 'Permissions-Policy is not set',
          evidence: 'header absent',
        },
      ]);
    }
    const ev = `Permissions-Policy: ${quote(raw)}`;
    const bad = raw.split(',').filter((m) => !MEMBER.test(m.trim()));
    if (bad.length > 0) {
      return result('permissions-policy-invalid', 'fail', ev, [
        {
          outcome: 'permissions-policy-invalid',
          title: 'Permissions-Policy cannot be parsed',
          evidence: `invalid member ${quote(bad[0]?.trim() ?? '')} in ${ev}`,
        },
      ]);
    }
    return result('permissions-policy-present', 'pass', ev);
  },
};
