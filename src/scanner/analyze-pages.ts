/**
 * The content checks on every crawled page (gather/pages.ts). Each extra page is judged as if it
 * were the target (its own chain and HTML, everything else shared); the check's result is the
 * worst over all pages, and each finding names its page. A finding that repeats on several pages
 * (one template, one missing SRI) is reported once, for the first page, with the count of others.
 */
import { SCORE_TABLE } from './grade/score-table.ts';
import type { Artefacts, CheckRunResult, CheckStatus, FindingDraft } from './types.ts';

/** Checks that judge one page's content, headers or cookies: they run on every crawled page. */
export const PER_PAGE_CHECKS: ReadonlySet<string> = new Set([
  'mixed-content',
  'sri',
  'form-actions',
  'cookie-flags',
  'cookie-prefixes',
  'cookie-lifetime',
  'csp',
]);

const STATUS_RANK: Record<CheckStatus, number> = { fail: 4, warn: 3, error: 2, pass: 1, skipped: 0 };

/** The crawled pages as artefacts of their own: same target and probes, that page's chain and HTML. */
export function pageViews(a: Artefacts): { url: string; artefacts: Artefacts }[] {
  return (a.pages?.pages ?? []).map((p) => {
    const view: Artefacts = { ...a, page: p.chain };
    if (p.html) view.html = p.html;
    else delete view.html;
    return { url: p.url, artefacts: view };
  });
}

function worse(x: CheckRunResult, y: CheckRunResult): boolean {
  const mx = SCORE_TABLE[x.outcome]?.modifier ?? 0;
  const my = SCORE_TABLE[y.outcome]?.modifier ?? 0;
  return mx !== my ? mx < my : STATUS_RANK[x.status] > STATUS_RANK[y.status];
}

export function combinePageRuns(
  targetUrl: string,
  main: CheckRunResult,
  others: { url: string; run: CheckRunResult }[],
): CheckRunResult {
  if (others.length === 0) return main;
  const runs = [{ url: targetUrl, run: main }, ...others];
  const seen = new Map<string, { finding: FindingDraft; also: number }>();
  for (const { url, run } of runs) {
    for (const f of run.findings) {
      const key = `${f.outcome}\n${f.evidence}`;
      const earlier = seen.get(key);
      if (earlier) earlier.also++;
      else
        seen.set(key, { finding: { ...f, evidence: `page ${JSON.stringify(url)}: ${f.evidence}` }, also: 0 });
    }
  }
  const findings = [...seen.values()].map(({ finding, also }) =>
    also > 0
      ? { ...finding, evidence: `${finding.evidence} (also on ${also} other page${also === 1 ? '' : 's'})` }
      : finding,
  );
  const top = runs.reduce((best, r) => (worse(r.run, best.run) ? r : best));
  const evidence =
    top.url === targetUrl
      ? `${main.evidence} (${others.length} more page${others.length === 1 ? '' : 's'} checked)`
      : `worst on page ${JSON.stringify(top.url)}: ${top.run.evidence} (${runs.length} pages checked)`;
  return { outcome: top.run.outcome, status: top.run.status, evidence, findings };
}
