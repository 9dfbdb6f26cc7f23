/**
 * Fixtures shared by the service tests (alerts, findings, sites): an owner and an outsider with
 * an organisation each, a scan row to store a report into, and a report built from findings.
 */
import { randomUUID } from 'node:crypto';
import { getCheck } from '../../src/scanner/checks/index.ts';
import type { CheckResult, Report, Severity } from '../../src/scanner/types.ts';
import type { SignedIn } from './auth/helpers.ts';
import { addSite, createOrg, signIn, type ServiceTestApp } from './scans/helpers.ts';

export const SHOP_URL = 'https://shop.example.test/';

export interface TwoOrgs {
  owner: SignedIn;
  outsider: SignedIn;
  /** The owner's organisation. */
  orgId: string;
  /** The outsider's organisation, which the owner must never see. */
  otherOrg: string;
}

/** Signs in an owner and an outsider, each with an organisation of their own. */
export async function twoOrgs(t: ServiceTestApp): Promise<TwoOrgs> {
  const owner = await signIn(t, 'owner@example.com');
  const outsider = await signIn(t, 'outsider@example.com');
  const orgId = await createOrg(t, owner);
  const otherOrg = await createOrg(t, outsider, 'Other');
  return { owner, outsider, orgId, otherOrg };
}

/** `twoOrgs`, and a site (not verified) in the owner's organisation. */
export async function twoOrgsAndSite(
  t: ServiceTestApp,
  url = SHOP_URL,
): Promise<TwoOrgs & { siteId: string }> {
  const orgs = await twoOrgs(t);
  const siteId = (await addSite(t, orgs.owner, orgs.orgId, url)).id;
  return { ...orgs, siteId };
}

/** A running API scan of the site, straight into the table, for `storeResult` to finish. */
export async function insertRunningScan(
  t: ServiceTestApp,
  orgId: string,
  siteId: string,
  target = SHOP_URL,
): Promise<string> {
  const id = randomUUID();
  await t.db.kysely
    .insertInto('scans')
    .values({
      id,
      org_id: orgId,
      site_id: siteId,
      target,
      host: new URL(target).hostname,
      source: 'api',
      requested_by: null,
      status: 'running',
    })
    .execute();
  return id;
}

export interface FindingSpec {
  checkId: string;
  severity: Severity;
  /** Default `<checkId>-bad`. */
  outcome?: string;
  title?: string;
  evidence?: string;
  remediation?: string;
}

/** A report of `target` with the given grade, checks and findings (fresh ids, times now). */
export function buildReport(opts: {
  target?: string;
  grade: string;
  score: number;
  headersGrade?: string;
  headersScore?: number;
  checks: CheckResult[];
  findings: FindingSpec[];
}): Report {
  const now = new Date().toISOString();
  return {
    schemaVersion: 1,
    scoringVersion: 1,
    target: opts.target ?? SHOP_URL,
    startedAt: now,
    finishedAt: now,
    timings: {},
    grade: opts.grade,
    score: opts.score,
    headersScore: opts.headersScore ?? opts.score,
    headersGrade: opts.headersGrade ?? opts.grade,
    categories: [],
    checks: opts.checks,
    findings: opts.findings.map((f) => ({
      id: randomUUID(),
      checkId: f.checkId,
      category: getCheck(f.checkId)?.category ?? 'headers',
      outcome: f.outcome ?? `${f.checkId}-bad`,
      severity: f.severity,
      title: f.title ?? `${f.checkId} is wrong`,
      evidence: f.evidence ?? 'seen',
      remediation: f.remediation ?? 'fix',
      references: [],
    })),
  };
}

/** A headers check result that ran with the given status (outcome `<id>-ok` or `<id>-bad`). */
export function checkResult(id: string, status: 'pass' | 'fail'): CheckResult {
  return {
    id,
    category: 'headers',
    title: id,
    status,
    outcome: `${id}-${status === 'pass' ? 'ok' : 'bad'}`,
    scoreModifier: status === 'pass' ? 0 : -10,
    evidence: '',
  };
}
