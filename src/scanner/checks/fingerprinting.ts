import type { FingerprintTechnique } from '../browser/types.ts';
import { acrossVisits, hostOf, VISIT_LABEL } from '../privacy/facts.ts';
import type { Check, FindingDraft } from '../types.ts';
import { browserVisits, passUnlessPartial, quote, worst } from './helpers.ts';

const ID = 'fingerprinting';

const TECHNIQUE: Record<FingerprintTechnique, string> = {
  canvas: 'canvas fingerprinting',
  'canvas-font': 'font fingerprinting (canvas text measurement)',
  webgl: 'WebGL fingerprinting (graphics card vendor and renderer)',
  audio: 'audio fingerprinting (AudioContext)',
  webrtc: 'WebRTC local-address discovery',
};

export const fingerprinting: Check = {
  id: ID,
  category: 'privacy',
  title: 'No browser fingerprinting',
  failureTitle: 'Scripts fingerprint visitors’ browsers',
  description:
    'Instruments the page before any of its scripts run and flags scripts that fingerprint the browser: ' +
    'canvas (a canvas of at least 16×16 pixels with 10+ distinct characters or 2 colours, read back, not ' +
    'otherwise drawn on — Englehardt & Narayanan 2016), font enumeration by canvas text measurement, ' +
    'WebGL renderer and vendor reads, AudioContext rendering, and WebRTC address discovery. A fingerprint ' +
    'identifies a visitor without cookies and survives clearing them; it needs consent like a cookie ' +
    '(EDPB Guidelines 2/2023).',
  remediation:
    'Remove the fingerprinting script, or load it only after consent. If it is fraud or bot detection, ' +
    'limit it to the pages that need it (sign-in, checkout) and say so in your privacy notice.',
  references: [
    'https://randomwalker.info/publications/OpenWPM_1_million_site_tracking_measurement.pdf',
    'https://www.edpb.europa.eu/our-work-tools/our-documents/guidelines/guidelines-22023-technical-scope-art-53-eprivacy-directive_en',
  ],
  requires: ['browser'],
  outcomes: {
    'fingerprinting-third-party': 'A third-party script fingerprints the browser.',
    'fingerprinting-first-party': 'A script of the site itself fingerprints the browser.',
    'fingerprinting-none': 'No fingerprinting was seen in any visit.',
    'fingerprinting-incomplete': 'A visit did not complete and no fingerprinting was found.',
    'fingerprinting-not-observed': 'No browser visit was made.',
  },
  run(a) {
    const visits = browserVisits(a, ID);
    if (!Array.isArray(visits)) return visits;
    const seen = acrossVisits(
      visits,
      (v) => v.fingerprinting,
      (fp) => `${fp.technique}\n${fp.script}`,
    );
    const found: FindingDraft[] = seen.map(({ item: fp, visits: kinds }) => ({
      outcome: fp.party === 'third' ? 'fingerprinting-third-party' : 'fingerprinting-first-party',
      title: `${capitalise(TECHNIQUE[fp.technique] ?? fp.technique)} by ${hostOf(fp.script)}`,
      evidence:
        `${kinds.map((k) => VISIT_LABEL[k]).join(', ')}: script ${quote(fp.script)} (${fp.party} party): ` +
        `${quote(fp.evidence, 200)}${fp.frame ? ` at ${quote(fp.frame, 200)}` : ''}`,
      remediation:
        `Remove the script ${quote(fp.script)} (from ${hostOf(fp.script)}), or load it only after the visitor ` +
        'consents; if it is fraud detection, keep it to the pages that need it and name it in your privacy notice.',
    }));
    found.sort(
      (x, y) => Number(x.outcome.endsWith('first-party')) - Number(y.outcome.endsWith('first-party')),
    );
    const bad = worst(found, Object.keys(fingerprinting.outcomes), () => 'fail');
    return (
      bad ??
      passUnlessPartial(ID, visits, 'fingerprinting-none', `no fingerprinting in ${visits.length} visit(s)`)
    );
  },
};

function capitalise(s: string): string {
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}`;
}
