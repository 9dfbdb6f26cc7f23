import { describe } from 'vitest';
import { frameOptions } from '../../../src/scanner/checks/frame-options.ts';
import { baseline, withHeaders } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const h = (csp: string | undefined, xfo: string | undefined) =>
  withHeaders(baseline(), {
    'content-security-policy': csp === undefined ? undefined : [csp],
    'x-frame-options': xfo === undefined ? undefined : [xfo],
  });

describe('frame-options', () => {
  checkTable(frameOptions, 'frame-options-frame-ancestors', [
    ['neither', h(undefined, undefined), 'frame-options-missing', 'fail'],
    ['XFO DENY only', h(undefined, 'DENY'), 'frame-options-x-frame-options', 'pass'],
    ['XFO sameorigin lower case', h(undefined, 'sameorigin'), 'frame-options-x-frame-options', 'pass'],
    ['XFO garbage', h(undefined, 'ALLOWALL'), 'frame-options-invalid', 'fail'],
    ['XFO ALLOW-FROM', h(undefined, 'ALLOW-FROM https://a.test'), 'frame-options-allow-from', 'warn'],
    ['frame-ancestors *', h('frame-ancestors *', undefined), 'frame-options-permissive', 'fail'],
    [
      'frame-ancestors self beats bad XFO',
      h("frame-ancestors 'self'", 'garbage'),
      'frame-options-frame-ancestors',
      'pass',
    ],
  ]);
});
