import type { Check, FindingDraft } from '../types.ts';
import { finalResponse, headerValues, quote, result } from './helpers.ts';

// One dictionary member: feature=allowlist, where the allowlist is *, self, "origin" or an inner list.
const MEMBER = /^[a-z][a-z0-9_\-.*]*\s*=\s*(\*|self|"[^"]*"|\((\s*(\*|self|src|"[^"]*"))*\s*\))\s*(;.*)?$/i;

/**
 * Features that reach a person's devices, data or money (W3C Permissions Policy and the feature
 * registry): allowing them to every origin lets any embedded third party ask for them.
 * Harmless features (fullscreen, autoplay, picture-in-picture…) may be opened to all.
 */
const POWERFUL: Record<string, string> = {
  accelerometer: 'motion sensors',
  'ambient-light-sensor': 'the light sensor',
  bluetooth: 'Bluetooth devices',
  'browsing-topics': 'the Topics API (ad interest profiling)',
  camera: 'the camera',
  'clipboard-read': 'reading the clipboard',
  'display-capture': 'screen capture',
  geolocation: 'the location',
  gyroscope: 'motion sensors',
  hid: 'HID devices',
  'identity-credentials-get': 'federated sign-in credentials',
  'idle-detection': 'whether the user is idle',
  'interest-cohort': 'FLoC interest cohorts',
  'local-fonts': 'the installed fonts (fingerprinting)',
  magnetometer: 'the magnetometer',
  microphone: 'the microphone',
  midi: 'MIDI devices',
  'otp-credentials': 'one-time codes from SMS',
  payment: 'the Payment Request API',
  'publickey-credentials-create': 'creating passkeys',
  'publickey-credentials-get': 'signing in with passkeys',
  'screen-wake-lock': 'keeping the screen on',
  serial: 'serial ports',
  'storage-access': 'third-party cookies via the Storage Access API',
  usb: 'USB devices',
  'window-management': 'the screens and window placement',
  'xr-spatial-tracking': 'VR/AR tracking',
};

/** Powerful features the policy opens to every origin: `feature=*` or `*` inside the inner list. */
function openToAll(members: string[]): FindingDraft[] {
  const found: FindingDraft[] = [];
  for (const member of members) {
    const [rawName = '', rawValue = ''] = member.split('=', 2);
    const name = rawName.trim().toLowerCase();
    const allowlist = (rawValue.split(';')[0] ?? '').trim();
    const inner = /^\((.*)\)$/.exec(allowlist)?.[1];
    const all = allowlist === '*' || (inner ?? '').split(/\s+/).includes('*');
    if (all && POWERFUL[name])
      found.push({
        outcome: 'permissions-policy-allows-all-origins',
        title: `Permissions-Policy lets every origin use ${POWERFUL[name]} (${name})`,
        evidence: `${name}=${quote(allowlist)}: any embedded page may ask for ${POWERFUL[name]}`,
      });
  }
  return found;
}

export const permissionsPolicy: Check = {
  id: 'permissions-policy',
  category: 'headers',
  title: 'Permissions-Policy limits powerful features',
  failureTitle: 'Permissions-Policy is missing or invalid',
  description:
    'Checks for a syntactically valid Permissions-Policy header, which switches off browser features ' +
    '(camera, microphone, geolocation, …) the site does not use, including inside third-party iframes, ' +
    'and that it does not open a powerful feature to every origin (`camera=*`).',
  remediation:
    'Send e.g. `Permissions-Policy: camera=(), microphone=(), geolocation=(), payment=()` for unused features.',
  references: ['https://www.w3.org/TR/permissions-policy/', 'https://www.rfc-editor.org/rfc/rfc8941'],
  requires: ['page'],
  outcomes: {
    'permissions-policy-invalid':
      'The header is not a valid structured-field dictionary, so browsers ignore it.',
    'permissions-policy-allows-all-origins':
      'A powerful feature (camera, microphone, geolocation, payment, USB…) is allowed for every origin (`*`).',
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
    const open = openToAll(raw.split(','));
    if (open.length > 0) return result('permissions-policy-allows-all-origins', 'fail', ev, open);
    return result('permissions-policy-present', 'pass', ev);
  },
};
