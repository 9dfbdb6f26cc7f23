import type { VisitArtefact } from '../browser/types.ts';
import {
  describeContact,
  describeCookie,
  describeOwner,
  responsibleFor,
  responsibleForCookie,
  type TrackerContact,
  trackerContacts,
  type TrackingCookie,
  trackingCookies,
} from '../privacy/facts.ts';
import type { Check, FindingDraft } from '../types.ts';
import { browserVisit, gateRemediation, passUnlessPartial, quote, worst } from './helpers.ts';

const ID = 'pre-consent-tracking';

export const preConsentTracking: Check = {
  id: ID,
  category: 'privacy',
  title: 'Nothing tracks visitors before they consent',
  failureTitle: 'Visitors are tracked before they consent',
  description:
    'Loads the page in a fresh browser and does nothing: no click on any banner. Trackers contacted and ' +
    'tracking cookies set in that visit happen before the visitor could agree. A tracker is a third party ' +
    'listed on EasyPrivacy or EasyList, or one VIOscan’s owner map gives an advertising, analytics, social, ' +
    'session-replay or fingerprinting purpose; a tracking cookie is on a tracker’s domain or set by a ' +
    'tracker’s script. The ePrivacy Directive (Art. 5(3)) requires consent before storing or reading such ' +
    'identifiers.',
  remediation:
    'Load tracking scripts only after the visitor consents: put them behind your consent banner (most ' +
    'consent tools can hold back tagged scripts until consent), or remove them.',
  references: [
    'https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:02002L0058-20091219#d1e606-37-1',
    'https://www.edpb.europa.eu/our-work-tools/our-documents/guidelines/guidelines-22023-technical-scope-art-53-eprivacy-directive_en',
  ],
  requires: ['browser'],
  outcomes: {
    'pre-consent-tracking-cookies': 'Tracking cookies were set before the visitor could consent.',
    'pre-consent-tracking-requests':
      'Trackers were contacted before the visitor could consent (no tracking cookie was set).',
    'pre-consent-tracking-none': 'No tracker was contacted and no tracking cookie was set before consent.',
    'pre-consent-tracking-incomplete':
      'The visit before consent did not complete and nothing was found in what it recorded.',
    'pre-consent-tracking-not-observed':
      'The visit before consent was not made (not part of the browser visits).',
  },
  run(a) {
    const visit = browserVisit(a, 'none', ID);
    if ('outcome' in visit) return visit;
    const found = [
      ...trackingCookies(visit).map((t) => cookieFinding(t, visit)),
      ...trackerContacts(visit.requests).map((c) => contactFinding(c, visit)),
    ];
    const bad = worst(found, Object.keys(preConsentTracking.outcomes), () => 'fail');
    return (
      bad ??
      passUnlessPartial(
        ID,
        [visit],
        'pre-consent-tracking-none',
        `${visit.requests.length} request(s) and ${visit.cookies.length} cookie(s) before consent, none tracking`,
      )
    );
  },
};

function cookieFinding(t: TrackingCookie, visit: VisitArtefact): FindingDraft {
  const { cookie } = t;
  return {
    outcome: 'pre-consent-tracking-cookies',
    title: `Tracking cookie ${quote(cookie.name, 60)} set before consent (${describeOwner(t.tracker)})`,
    evidence: `before consent: ${describeCookie(cookie, visit)}`,
    remediation: gateRemediation(
      responsibleForCookie(t, visit),
      t.tracker.domain,
      `set ${quote(cookie.name, 60)} before consent`,
    ),
  };
}

function contactFinding(c: TrackerContact, visit: VisitArtefact): FindingDraft {
  return {
    outcome: 'pre-consent-tracking-requests',
    title: `Tracker ${c.domain} contacted before consent (${describeOwner(c.classification)})`,
    evidence: `before consent: ${describeContact(c, visit)}`,
    remediation: gateRemediation(
      responsibleFor(c.first, visit),
      c.domain,
      `contact ${c.domain} before consent`,
    ),
  };
}
