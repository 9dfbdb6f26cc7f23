/**
 * analyze(): artefacts in, report out. Runs every registered check in isolation, attaches severities
 * and modifiers from the score table, applies suppressions, grades. Pure: the clock comes from meta.
 */
import { createHash } from 'node:crypto';
import { combinePageRuns, pageViews, PER_PAGE_CHECKS } from './analyze-pages.ts';
import { CHECKS } from './checks/index.ts';
import { capGrades } from './grade/cap.ts';
import { gradeChecks } from './grade/grade.ts';
import { accessibilitySummary, privacySummary } from './privacy/summary.ts';
import { headersGrade, headersScore } from './grade/observatory-score.ts';
import { REMEDIATION_DAYS, SCORE_TABLE, SCORING_VERSION } from './grade/score-table.ts';
import { reportHeaders } from './report/headers.ts';
import { prioritise } from './report/priorities.ts';
import { SEVERITY_ORDER } from './severity.ts';
import type { Artefacts, Check, CheckResult, CheckRunResult, Finding, GatherError, Report } from './types.ts';

/** One accepted risk from a suppression file (e.g. `.vioscan.yml`). */
export interface Suppression {
  /** Check id (`hsts`) or outcome id (`hsts-max-age-too-short`). */
  check: string;
  /** Target URL it applies to; a trailing `*` matches any URL with that prefix. */
  target: string;
  reason: string;
  /** ISO date; the suppression stops applying at that instant. */
  expires: string;
}

export interface AnalyzeMeta {
  startedAt: string;
  finishedAt: string;
  suppressions?: Suppression[];
  /** The scan's clock for expiry checks; defaults to finishedAt so replays are deterministic. */
  now?: Date;
}

/** Evidence comes from the scanned site: cap it so a hostile page cannot bloat reports. */
export const MAX_EVIDENCE = 500;
export const MAX_FINDINGS_PER_CHECK = 25;

export function capEvidence(text: string): string {
  return text.length > MAX_EVIDENCE ? `${text.slice(0, MAX_EVIDENCE - 1)}…` : text;
}

function artefactProblem(check: Check, a: Artefacts): CheckRunResult | undefined {
  for (const name of check.requires) {
    const artefact = a[name] as { error?: GatherError } | unknown[] | undefined;
    if (artefact === undefined) {
      return {
        outcome: `${check.id}-skipped`,
        status: 'skipped',
        evidence: `not collected: ${name}`,
        findings: [],
      };
    }
    if (!check.handlesArtefactErrors && !Array.isArray(artefact) && artefact.error) {
      const ev = `${name} could not be collected (${artefact.error.code}): ${artefact.error.message}`;
      return { outcome: `${check.id}-error`, status: 'error', evidence: ev, findings: [] };
    }
  }
  return undefined;
}

function runCheck(check: Check, a: Artefacts, now: Date): CheckRunResult {
  const problem = artefactProblem(check, a);
  if (problem) return problem;
  try {
    const run = check.run(a, { now });
    if (!(run.outcome in SCORE_TABLE) || !(run.outcome in check.outcomes || run.status === 'skipped')) {
      throw new Error(`unknown outcome ${run.outcome}`);
    }
    return run;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      outcome: `${check.id}-error`,
      status: 'error',
      evidence: `check failed: ${message}`,
      findings: [],
    };
  }
}

function findingId(checkId: string, outcome: string, evidence: string): string {
  return `${outcome}-${createHash('sha256').update(`${checkId}\n${outcome}\n${evidence}`).digest('hex').slice(0, 10)}`;
}

function suppressionFor(f: Finding, target: string, list: Suppression[], now: Date): Suppression | undefined {
  return list.find((s) => {
    const matchesCheck = s.check === f.checkId || s.check === f.outcome;
    const matchesTarget = s.target.endsWith('*')
      ? target.startsWith(s.target.slice(0, -1))
      : s.target === target;
    const expires = Date.parse(s.expires);
    return matchesCheck && matchesTarget && Number.isFinite(expires) && expires > now.getTime();
  });
}

/** The site could not be reached at all: no check ran, so there is no grade and no score (not F 0). */
function failedReport(a: Artefacts, meta: AnalyzeMeta, error: GatherError, checks: readonly Check[]): Report {
  const evidence = `not run: the page could not be fetched (${error.code})`;
  return {
    schemaVersion: 1,
    scoringVersion: SCORING_VERSION,
    target: a.target,
    startedAt: meta.startedAt,
    finishedAt: meta.finishedAt,
    timings: a.timings,
    grade: null,
    score: null,
    headersScore: null,
    headersGrade: null,
    categories: [],
    checks: checks.map((c) => ({
      id: c.id,
      category: c.category,
      title: c.title,
      status: 'skipped',
      outcome: `${c.id}-skipped`,
      scoreModifier: 0,
      evidence,
    })),
    findings: [],
    error: {
      code: error.code,
      message: capEvidence(`The scan could not reach ${a.target}: ${error.message}`),
    },
  };
}

export function analyze(artefacts: Artefacts, meta: AnalyzeMeta, checks: readonly Check[] = CHECKS): Report {
  const now = meta.now ?? new Date(meta.finishedAt);
  if (artefacts.page.error) return failedReport(artefacts, meta, artefacts.page.error, checks);
  const results: CheckResult[] = [];
  const findings: Finding[] = [];
  const views = pageViews(artefacts);
  const pageUrl = artefacts.page.final?.url ?? artefacts.target;
  for (const check of checks) {
    let run = runCheck(check, artefacts, now);
    if (views.length > 0 && PER_PAGE_CHECKS.has(check.id)) {
      const others = views.map((v) => ({ url: v.url, run: runCheck(check, v.artefacts, now) }));
      run = combinePageRuns(pageUrl, run, others);
    }
    const score = SCORE_TABLE[run.outcome];
    results.push({
      id: check.id,
      category: check.category,
      title: run.status === 'fail' ? check.failureTitle : check.title,
      status: run.status,
      outcome: run.outcome,
      scoreModifier: score?.modifier ?? 0,
      evidence: capEvidence(run.evidence),
    });
    const drafts = run.findings.slice(0, MAX_FINDINGS_PER_CHECK);
    for (const draft of drafts) {
      const severity = draft.severity ?? SCORE_TABLE[draft.outcome]?.severity ?? score?.severity ?? 'info';
      const evidence = capEvidence(draft.evidence);
      const finding: Finding = {
        id: findingId(check.id, draft.outcome, evidence),
        checkId: check.id,
        category: check.category,
        outcome: draft.outcome,
        severity,
        title: capEvidence(draft.title),
        evidence,
        remediation: draft.remediation ? capEvidence(draft.remediation) : check.remediation,
        references: check.references,
      };
      const days = REMEDIATION_DAYS[severity];
      if (days !== undefined) finding.remediationDays = days;
      const suppression = suppressionFor(finding, artefacts.target, meta.suppressions ?? [], now);
      if (suppression) finding.accepted = { reason: suppression.reason, expires: suppression.expires };
      findings.push(finding);
    }
  }
  const grading = capGrades(gradeChecks(results), findings);
  const hScore = headersScore(artefacts);
  return {
    schemaVersion: 1,
    scoringVersion: SCORING_VERSION,
    target: artefacts.target,
    finalUrl: artefacts.page.final?.url,
    startedAt: meta.startedAt,
    finishedAt: meta.finishedAt,
    timings: artefacts.timings,
    grade: grading.grade,
    score: grading.score,
    headersScore: hScore,
    headersGrade: headersGrade(hScore),
    ...(grading.cap && { gradeCap: grading.cap }),
    categories: grading.categories,
    ...(artefacts.cut?.length && { cutProbes: artefacts.cut }),
    checks: results,
    findings: findings.sort(
      (x, y) => SEVERITY_ORDER.indexOf(x.severity) - SEVERITY_ORDER.indexOf(y.severity),
    ),
    ...(artefacts.page.final && { responseHeaders: reportHeaders(artefacts.page.final.headers) }),
    priorities: prioritise(results, findings, checks),
    ...(artefacts.browser && { privacy: privacySummary(artefacts.browser) }),
    ...(artefacts.browser?.accessibility && {
      accessibility: accessibilitySummary(artefacts.browser.accessibility),
    }),
  };
}
