import { describe } from 'vitest';
import { permissionsPolicy } from '../../../src/scanner/checks/permissions-policy.ts';
import { baseline, withHeaders } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const h = (v: string | undefined, fp?: string) =>
  withHeaders(baseline(), {
    'permissions-policy': v === undefined ? undefined : [v],
    'feature-policy': fp === undefined ? undefined : [fp],
  });

describe('permissions-policy', () => {
  checkTable(permissionsPolicy, 'permissions-policy-present', [
    ['missing', h(undefined), 'permissions-policy-missing', 'warn'],
    ['feature-policy only', h(undefined, "camera 'none'"), 'permissions-policy-feature-policy-only', 'warn'],
    ['old feature-policy syntax in the new header', h("camera 'none'"), 'permissions-policy-invalid', 'fail'],
    [
      'allowlist with origins',
      h('geolocation=(self "https://maps.example.net"), fullscreen=*'),
      'permissions-policy-present',
      'pass',
    ],
  ]);
});
