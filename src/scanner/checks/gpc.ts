import type { VisitArtefact } from '../browser/types.ts';
import {
  describeContact,
  describeCookie,
  describeOwner,
  gpcVerdict,
  responsibleFor,
  responsibleForCookie,
} from '../privacy/facts.ts';
import type { Check, FindingDraft } from '../types.ts';
import { browserVisit, gateRemediation, passUnlessPartial, quote, result, worst } from './helpers.ts';

const ID = 'gpc';

export const gpc: Check = {
  id: ID,
  category: 'privacy',
  title: 'The site honours Global Privacy Control',
  failureTitle: 'The site ignores Global Privacy Control',
  description:
    'Visits the page in a fresh browser that sends the Global Privacy Control signal (`Sec-GPC: 1` and ' +
    '`navigator.globalPrivacyControl = true`), the "do not sell or share" preference several US state laws ' +
    '(California’s CCPA regulations, Colorado) make binding. Trackers contacted or tracking cookies set in ' +
    'that visit mean the signal was ignored; worse when the site’s `/.well-known/gpc.json` claims support.',
  remediation:
    'Read `Sec-GPC: 1` (or `navigator.globalPrivacyControl`) and treat it as an opt-out: do not load ' +
    'advertising and cross-site tracking scripts for that visitor. Publish `/.well-known/gpc.json` only when you do.',
  references: ['https://w3c.github.io/gpc/', 'https://cppa.ca.gov/regulations/pdf/cppa_regs.pdf'],
  requires: ['browser'],
  outcomes: {
    'gpc-ignored-despite-claim':
      'With GPC on, trackers were contacted or tracking cookies set, although /.well-known/gpc.json claims support.',
    'gpc-ignored': 'With GPC on, trackers were contacted or tracking cookies were set.',
    'gpc-well-known-invalid':
      '/.well-known/gpc.json is served but is not a JSON object with a boolean "gpc" member.',
    'gpc-honoured': 'With GPC on, no tracker was contacted and no tracking cookie was set.',
    'gpc-incomplete': 'The GPC visit did not complete, or the signal was not sent, and nothing was found.',
    'gpc-not-observed': 'The GPC visit was not made (not part of the browser visits).',
  },
  run(a) {
    const visit = browserVisit(a, 'gpc', ID);
    if ('outcome' in visit) return visit;
    if (visit.gpc && !visit.gpc.headerSent && !visit.gpc.navigatorValue)
      return result('gpc-incomplete', 'error', 'the browser did not send the GPC signal on this visit');
    const verdict = gpcVerdict(visit);
    const outcome = verdict.claimsSupport ? 'gpc-ignored-despite-claim' : 'gpc-ignored';
    const claim = wellKnown(visit);
    const found: FindingDraft[] = [
      ...verdict.cookies.map((t) => ({
        outcome,
        title: `Tracking cookie ${quote(t.cookie.name, 60)} set with GPC on (${describeOwner(t.tracker)})`,
        evidence: `with GPC: ${describeCookie(t.cookie, visit)}; ${claim}`,
        remediation: gateRemediation(
          responsibleForCookie(t, visit),
          t.tracker.domain,
          `set ${quote(t.cookie.name, 60)} for visitors who send GPC`,
        ),
      })),
      ...verdict.trackers.map((c) => ({
        outcome,
        title: `Tracker ${c.domain} contacted with GPC on (${describeOwner(c.classification)})`,
        evidence: `with GPC: ${describeContact(c, visit)}; ${claim}`,
        remediation: gateRemediation(
          responsibleFor(c.first, visit),
          c.domain,
          `contact ${c.domain} for visitors who send GPC`,
        ),
      })),
    ];
    const w = visit.gpc?.wellKnown;
    if (w?.status === 200 && typeof w.gpc !== 'boolean')
      found.push({
        outcome: 'gpc-well-known-invalid',
        title: '/.well-known/gpc.json is not valid',
        evidence: 'with GPC: /.well-known/gpc.json answered 200 without a boolean "gpc" member',
        remediation:
          'Serve /.well-known/gpc.json as `{"gpc": true, "lastUpdate": "YYYY-MM-DD"}` when you honour GPC, or not at all.',
      });
    const status = (o: string) => (o === 'gpc-well-known-invalid' ? 'warn' : 'fail');
    const bad = worst(found, Object.keys(gpc.outcomes), status);
    return bad ?? passUnlessPartial(ID, [visit], 'gpc-honoured', `with GPC on nothing tracked; ${claim}`);
  },
};

function wellKnown(visit: VisitArtefact): string {
  const w = visit.gpc?.wellKnown;
  if (!w) return '/.well-known/gpc.json not checked';
  if (w.gpc === true) return '/.well-known/gpc.json claims support ("gpc": true)';
  if (w.gpc === false) return '/.well-known/gpc.json says "gpc": false';
  if (w.error) return `/.well-known/gpc.json not read: ${quote(w.error, 100)}`;
  return `/.well-known/gpc.json absent or invalid (status ${w.status ?? 'none'})`;
}
