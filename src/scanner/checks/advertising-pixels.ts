import type { PixelEvent, VisitKind } from '../browser/types.ts';
import { hostOf, VISIT_LABEL } from '../privacy/facts.ts';
import type { Check, FindingDraft } from '../types.ts';
import { browserVisits, passUnlessPartial, quote, worst } from './helpers.ts';

const ID = 'advertising-pixels';

const VENDOR: Record<PixelEvent['vendor'], string> = {
  facebook: 'Meta (Facebook) pixel',
  'google-analytics': 'Google Analytics remarketing',
  'google-ads': 'Google Ads remarketing',
};

interface Group {
  vendor: PixelEvent['vendor'];
  events: Set<string>;
  matching: Set<string>;
  visits: Set<VisitKind>;
  example: string;
  /** The script that sent the example request, when known. */
  script?: string;
}

/** A pixel event that builds advertising audiences: every Meta pixel event, Google only when it remarkets. */
function advertises(p: PixelEvent): boolean {
  return p.vendor === 'facebook' || p.vendor === 'google-ads' || p.remarketing === true;
}

export const advertisingPixels: Check = {
  id: ID,
  category: 'privacy',
  title: 'No advertising pixels report visitors to ad networks',
  failureTitle: 'Advertising pixels report visitors to ad networks',
  description:
    'Reads the requests of the Meta (Facebook) pixel and of Google’s remarketing (Google Ads, and Google ' +
    'Analytics with advertising features), which add visitors to advertising audiences. "Advanced matching" ' +
    'parameters (`ud[em]`, `ud[ph]`, …) carry hashed e-mail addresses or phone numbers, which identify the ' +
    'person across sites. None of VIOscan’s visits consents, so every such event was sent without consent.',
  remediation:
    'Load the pixel only after the visitor consents to advertising; turn off automatic advanced matching ' +
    'unless the visitor agreed to share their contact details with the ad network.',
  references: [
    'https://developers.facebook.com/docs/meta-pixel/advanced/advanced-matching',
    'https://support.google.com/analytics/answer/9050852',
  ],
  requires: ['browser'],
  outcomes: {
    'advertising-pixels-advanced-matching':
      'An advertising pixel sent personal data (hashed e-mail, phone, name…) through advanced matching.',
    'advertising-pixels-sent': 'An advertising pixel reported visitors to an ad network for remarketing.',
    'advertising-pixels-none': 'No advertising pixel event was seen in any visit.',
    'advertising-pixels-incomplete': 'A visit did not complete and no advertising pixel was found.',
    'advertising-pixels-not-observed': 'No browser visit was made.',
  },
  run(a) {
    const visits = browserVisits(a, ID);
    if (!Array.isArray(visits)) return visits;
    const groups = new Map<string, Group>();
    for (const visit of visits) {
      for (const p of visit.pixels.filter(advertises)) {
        const g = groups.get(p.vendor) ?? {
          vendor: p.vendor,
          events: new Set<string>(),
          matching: new Set<string>(),
          visits: new Set<VisitKind>(),
          example: p.url,
        };
        groups.set(p.vendor, g);
        const hadMatching = g.matching.size > 0;
        g.events.add(p.event);
        for (const k of p.advancedMatching ?? []) g.matching.add(k);
        g.visits.add(visit.kind);
        // The example shown is the first request that carried personal data, if any did.
        if (!hadMatching && g.matching.size > 0) g.example = p.url;
        if (g.example === p.url && p.initiator) g.script = p.initiator;
      }
    }
    const found: FindingDraft[] = [...groups.values()].map((g) => {
      const name = VENDOR[g.vendor] ?? g.vendor;
      const events = [...g.events]
        .slice(0, 10)
        .map((e) => quote(e, 40))
        .join(', ');
      const matching = [...g.matching]
        .slice(0, 10)
        .map((k) => quote(k, 30))
        .join(', ');
      return {
        outcome: g.matching.size > 0 ? 'advertising-pixels-advanced-matching' : 'advertising-pixels-sent',
        title:
          g.matching.size > 0
            ? `${name} sends personal data (advanced matching)`
            : `${name} reports visitors`,
        evidence:
          `${[...g.visits].map((k) => VISIT_LABEL[k]).join(', ')}: events ${events}` +
          (matching ? `; advanced-matching keys ${matching}` : '') +
          `; e.g. ${quote(g.example)}`,
        remediation:
          (g.script
            ? `Load the script ${quote(g.script)} (from ${hostOf(g.script)}), which sends the ${name}, only after the visitor consents to advertising`
            : `Load the ${name} (requests to ${hostOf(g.example)}) only after the visitor consents to advertising`) +
          (g.matching.size > 0 ? ', and turn off automatic advanced matching.' : '.'),
      };
    });
    found.sort(
      (x, y) => Number(x.outcome.endsWith('remarketing')) - Number(y.outcome.endsWith('remarketing')),
    );
    const bad = worst(found, Object.keys(advertisingPixels.outcomes), () => 'fail');
    return (
      bad ??
      passUnlessPartial(
        ID,
        visits,
        'advertising-pixels-none',
        `no advertising pixel in ${visits.length} visit(s)`,
      )
    );
  },
};
