/** What SARIF carries of the privacy scan beyond its findings: a run-level summary in the property bag. */
import type { Report } from '../types.ts';
import { stripControl } from './escape.ts';

export function privacySarifProperties(report: Report): Record<string, unknown> {
  const p = report.privacy;
  const a = report.accessibility;
  return {
    ...(p && {
      privacy: {
        browser: stripControl(p.browser.product),
        thirdPartyCookies: p.browser.note,
        lists: p.lists.map((l) => stripControl(`${l.name} ${l.date}`)),
        visits: p.visits.map((v) => v.kind),
        trackers: p.thirdParties
          .filter((t) => t.tracker)
          .map((t) => stripControl(`${t.company} (${t.purpose})`)),
        consent: p.consent.result,
        ...(p.gpc && { gpcHonoured: p.gpc.honoured }),
        ...(p.error && { error: p.error.code }),
      },
    }),
    ...(a && {
      accessibility: { engine: stripControl(a.engine), violations: a.violations, byImpact: a.byImpact },
    }),
  };
}
