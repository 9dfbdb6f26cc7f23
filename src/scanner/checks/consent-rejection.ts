import {
  describeContact,
  describeCookie,
  describeOwner,
  rejectionVerdict,
  responsibleFor,
  responsibleForCookie,
  whenAfterRejection,
} from '../privacy/facts.ts';
import type { Check, FindingDraft } from '../types.ts';
import { browserVisit, gateRemediation, passUnlessPartial, quote, result, worst } from './helpers.ts';

const ID = 'consent-rejection';

export const consentRejection: Check = {
  id: ID,
  category: 'privacy',
  title: 'Tracking stops when the visitor rejects consent',
  failureTitle: 'The site keeps tracking after the visitor rejected consent',
  description:
    'In a fresh browser, finds the consent banner and chooses "reject all" (or "only necessary") with the ' +
    'rule set of DuckDuckGo’s autoconsent, reloads the page and watches again. The tool’s claim that the ' +
    'rejection worked is cross-checked with what the site did: tracking cookies left in the browser after the ' +
    'rejection, and trackers contacted after the reload. Refusing must be as effective as accepting ' +
    '(GDPR Art. 7(3), Art. 4(11); EDPB Guidelines 05/2020 on consent).',
  remediation:
    'Make "reject" work: your consent tool must hold back every tracking script after a rejection (and ' +
    'delete the tracking cookies already set), not only hide the banner.',
  references: [
    'https://eur-lex.europa.eu/eli/reg/2016/679/oj#d1e1888-1-1',
    'https://www.edpb.europa.eu/our-work-tools/our-documents/guidelines/guidelines-052020-consent-under-regulation-2016679_en',
    'https://github.com/duckduckgo/autoconsent',
  ],
  requires: ['browser'],
  outcomes: {
    'consent-rejection-ignored': 'Tracking cookies were set, or left in place, after the visitor rejected.',
    'consent-rejection-trackers-contacted':
      'Trackers were still contacted after the visitor rejected (no tracking cookie was left).',
    'consent-rejection-failed':
      'A consent banner was found, but "reject all" could not be chosen (none offered, or the tool failed).',
    'consent-rejection-honoured':
      'After the rejection no tracker was contacted and no tracking cookie was left.',
    'consent-rejection-no-banner': 'No consent banner was found, so there was nothing to reject.',
    'consent-rejection-incomplete':
      'The reject visit did not complete and nothing was found in what it recorded.',
    'consent-rejection-not-observed': 'The reject visit was not made (not part of the browser visits).',
  },
  run(a) {
    const visit = browserVisit(a, 'reject', ID);
    if ('outcome' in visit) return visit;
    const consent = visit.consent;
    const verdict = rejectionVerdict(visit);
    const cmp = consent?.cmp ? `consent tool ${quote(consent.cmp, 60)}` : 'the consent banner';
    if (verdict.result === 'no-banner')
      return passUnlessPartial(
        ID,
        [visit],
        'consent-rejection-no-banner',
        'no consent banner VIOscan recognises (autoconsent rules) was shown',
      );
    if (verdict.result === 'failed') {
      const why = consent?.error ? `: ${quote(consent.error, 200)}` : '';
      const evidence = `${cmp} was shown, but "reject all" could not be chosen${why}`;
      return result('consent-rejection-failed', 'warn', evidence, [
        {
          outcome: 'consent-rejection-failed',
          title: `Consent could not be rejected on ${cmp}`,
          evidence,
        },
      ]);
    }
    const claim =
      `${cmp} reported the rejection as done` +
      (consent?.selfTest === false ? ', but its own self-test found consent still given' : '');
    const found: FindingDraft[] = [
      ...verdict.cookies.map((t) => ({
        outcome: 'consent-rejection-ignored',
        title: `Tracking cookie ${quote(t.cookie.name, 60)} ${whenAfterRejection(t.cookie, visit)} (${describeOwner(t.tracker)})`,
        evidence: `after you rejected: ${describeCookie(t.cookie, visit)}, ${whenAfterRejection(t.cookie, visit)}; ${claim}`,
        remediation: gateRemediation(
          responsibleForCookie(t, visit),
          t.tracker.domain,
          `set ${quote(t.cookie.name, 60)} after a rejection (and delete it when the visitor rejects)`,
        ),
      })),
      ...verdict.trackers.map((c) => ({
        outcome: 'consent-rejection-trackers-contacted',
        title: `Tracker ${c.domain} still contacted after you rejected (${describeOwner(c.classification)})`,
        evidence: `after you rejected (page reloaded): ${describeContact(c, visit)}; ${claim}`,
        remediation: gateRemediation(
          responsibleFor(c.first, visit),
          c.domain,
          `contact ${c.domain} after a rejection`,
        ),
      })),
    ];
    const bad = worst(found, Object.keys(consentRejection.outcomes), () => 'fail');
    if (bad) return bad;
    const timing = verdict.timed
      ? ''
      : ' (requests could not be timed against the rejection; cookies were checked)';
    return passUnlessPartial(
      ID,
      [visit],
      'consent-rejection-honoured',
      `${claim}; after it no tracker was contacted and no tracking cookie was left${timing}`,
    );
  },
};
