import { describe, expect, it } from 'vitest';
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
      'camera for every origin',
      h('camera=*, microphone=()'),
      'permissions-policy-allows-all-origins',
      'fail',
    ],
    ['geolocation for every origin', h('geolocation=*'), 'permissions-policy-allows-all-origins', 'fail'],
    ['* inside the inner list', h('microphone=(self *)'), 'permissions-policy-allows-all-origins', 'fail'],
    ['payment for every origin', h('payment=*'), 'permissions-policy-allows-all-origins', 'fail'],
    ['usb for every origin', h('usb=(*)'), 'permissions-policy-allows-all-origins', 'fail'],
    [
      'a harmless feature for every origin',
      h('fullscreen=*, autoplay=*, camera=()'),
      'permissions-policy-present',
      'pass',
    ],
    [
      'camera for self and one partner',
      h('camera=(self "https://meet.example.net")'),
      'permissions-policy-present',
      'pass',
    ],
    [
      'allowlist with origins',
      h('geolocation=(self "https://maps.example.net"), fullscreen=*'),
      'permissions-policy-present',
      'pass',
    ],
  ]);
});

describe('permissions-policy findings', () => {
  it('names each feature opened to every origin', () => {
    const r = permissionsPolicy.run(h('camera=*, geolocation=(self *), fullscreen=*'));
    expect(r.findings.map((f) => f.title)).toEqual([
      'Permissions-Policy lets every origin use the camera (camera)',
      'Permissions-Policy lets every origin use the location (geolocation)',
    ]);
    expect(r.findings[0]?.evidence).toBe('camera="*": any embedded page may ask for the camera');
  });
});
