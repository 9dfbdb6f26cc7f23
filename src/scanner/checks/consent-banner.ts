import { describeCookie, describeOwner, trackingCookies, VISIT_LABEL } from '../privacy/facts.ts';
import type { Check } from '../types.ts';
import { browserVisit, passUnlessPartial, quote, result } from './helpers.ts';

const ID = 'consent-banner';

export const consentBanner: Check = {
  id: ID,
  category: 'privacy',
  title: 'Visitors are asked before tracking cookies are used',
  failureTitle: 'Tracking cookies are used without any consent banner',
  description:
    'Looks for a consent banner with DuckDuckGo’s autoconsent rules (hundreds of consent tools, plus ' +
    'generic rules) in the reject visit, and for tracking cookies in the visits. Tracking cookies with no ' +
    'banner at all leave the visitor no way to refuse them. A home-made banner autoconsent does not know ' +
    'counts as missing: check the evidence before acting.',
  remediation:
    'Ask before setting tracking cookies: add a consent banner that offers "reject all" as prominently as ' +
    '"accept all", and load tracking scripts only after consent — or stop using tracking cookies.',
  references: [
    'https://www.edpb.europa.eu/our-work-tools/our-documents/guidelines/guidelines-052020-consent-under-regulation-2016679_en',
    'https://github.com/duckduckgo/autoconsent',
  ],
  requires: ['browser'],
  outcomes: {
    'consent-banner-missing': 'Tracking cookies were set, and no consent banner was found.',
    'consent-banner-found': 'A consent banner was found.',
    'consent-banner-not-needed': 'No consent banner was found, and no tracking cookie was set.',
    'consent-banner-incomplete': 'The reject visit did not complete and no banner was found.',
    'consent-banner-not-observed': 'The reject visit, which looks for the banner, was not made.',
  },
  run(a) {
    const visit = browserVisit(a, 'reject', ID);
    if ('outcome' in visit) return visit;
    const consent = visit.consent;
    if (consent?.popupFound || consent?.cmp) {
      const cmp = consent.cmp ? quote(consent.cmp, 60) : 'an unnamed consent tool';
      return result('consent-banner-found', 'pass', `consent banner of ${cmp} found`);
    }
    // The cookies the visitor gets before answering anything: the none visit's, else the reject visit's own.
    const first = a.browser?.visits.find((v) => v.kind === 'none') ?? visit;
    const cookies = trackingCookies(first);
    if (cookies.length === 0)
      return passUnlessPartial(
        ID,
        [visit],
        'consent-banner-not-needed',
        'no consent banner and no tracking cookie',
      );
    const list = cookies
      .slice(0, 5)
      .map((t) => `${describeCookie(t.cookie, first)} (${describeOwner(t.tracker)})`)
      .join('; ');
    const evidence = `no consent banner found; ${cookies.length} tracking cookie(s) ${VISIT_LABEL[first.kind]}: ${list}`;
    return result('consent-banner-missing', 'fail', evidence, [
      {
        outcome: 'consent-banner-missing',
        title: `No consent banner, but ${cookies.length} tracking cookie(s) are set`,
        evidence,
      },
    ]);
  },
};
