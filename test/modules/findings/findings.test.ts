import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell } from '../../../src/modules/findings/csv.ts';
import { dueDate, dueState } from '../../../src/modules/findings/due.ts';
import { storeResult } from '../../../src/modules/scans/run.ts';
import { REMEDIATION_DAYS } from '../../../src/scanner/grade/score-table.ts';
import type { Report, Severity } from '../../../src/scanner/types.ts';
import { engines } from '../../helpers/engines.ts';
import type { SignedIn } from '../auth/helpers.ts';
import { createServiceApp, type ServiceTestApp } from '../scans/helpers.ts';
import { buildReport, checkResult, insertRunningScan, twoOrgsAndSite } from '../service-fixtures.ts';

const DAY = 86_400_000;
const severities: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** The outside probe's cookie (issue 17 item 2): one comma-CSV cell that Excel in a `;` locale splits. */
const PROBE_COOKIE = `=HYPERLINK("http://evil","x");=cmd|' /C calc'!A0`;

describe('remediation deadlines', () => {
  it('due = first seen + the target for the severity (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.constantFrom(...severities),
        (first, severity) => {
          const due = dueDate(first, severity);
          const days = REMEDIATION_DAYS[severity];
          if (days === undefined) return due === null;
          return due!.getTime() - first.getTime() === days * DAY;
        },
      ),
    );
    expect(REMEDIATION_DAYS).toMatchObject({ critical: 1, high: 3, medium: 30, low: 90 });
  });

  it('is overdue only while it still needs work', () => {
    const now = new Date('2026-01-10T00:00:00Z');
    const past = new Date('2026-01-09T00:00:00Z');
    expect(dueState({ due_at: past, status: 'open' }, now)).toBe('overdue');
    expect(dueState({ due_at: past, status: 'acknowledged' }, now)).toBe('overdue');
    expect(dueState({ due_at: past, status: 'accepted' }, now)).toBe('none');
    expect(dueState({ due_at: new Date('2026-01-10T12:00:00Z'), status: 'open' }, now)).toBe('due_soon');
    expect(dueState({ due_at: new Date('2026-02-10T00:00:00Z'), status: 'open' }, now)).toBe('on_track');
  });

  it('CSV cells a spreadsheet would run as formulas are made text', () => {
    for (const bad of ['=1+1', '+cmd', '-2', '@SUM(A1)', '\t=x'])
      expect(csvCell(bad).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell('plain')).toBe('plain');
  });

  it.each([[','], [';'], ['\t']])(
    'no cell starts a formula when a spreadsheet splits the line at %j, quotes or not',
    (separator) => {
      for (const hostile of [PROBE_COOKIE, 'a,=1+1', 'a;"+1"', 'a\t@SUM(A1)', 'a\r\n-2', 'x; ;  =1']) {
        const line = ['id', csvCell(hostile), 'end'].join(',');
        // The worst reader: splits at every separator and line break, honours no quoting.
        for (const cell of line.split(new RegExp(`[${separator}\r\n]`)))
          expect(cell.replace(/^[" ]*/, ''), `${JSON.stringify(hostile)} → ${cell}`).not.toMatch(
            /^[=+\-@\t\r]/,
          );
      }
    },
  );
});

/** A report with these findings, where the checks in `ran` passed. */
function report(
  findings: { checkId: string; outcome: string; severity: Severity; evidence?: string }[],
  ran: string[],
): Report {
  return buildReport({
    target: 'http://127.0.0.1/',
    grade: findings.length ? 'C' : 'A',
    score: findings.length ? 55 : 100,
    headersScore: 50,
    headersGrade: 'C',
    checks: ran.map((id) => checkResult(id, 'pass')),
    findings: findings.map((f) => ({ ...f, title: `${f.checkId} problem`, remediation: 'fix it' })),
  });
}

describe.each(engines)('findings lifecycle and board on %s', (engine) => {
  let t: ServiceTestApp;
  let owner: SignedIn;
  let outsider: SignedIn;
  let orgId: string;
  let otherOrg: string;
  let siteId: string;
  beforeAll(async () => {
    t = await createServiceApp(engine);
    ({ owner, outsider, orgId, otherOrg, siteId } = await twoOrgsAndSite(t));
  }, 120_000);
  afterAll(async () => t?.close());

  const scanWith = async (r: Report) => {
    const id = await insertRunningScan(t, orgId, siteId);
    expect(await storeResult(t.db, id, r)).toBe(true);
    const diff = await t.app.inject({ url: `/api/v1/orgs/${orgId}/scans/${id}`, headers: owner.headers });
    return diff.json().diff;
  };
  const boardOf = async (query = '') =>
    (await t.app.inject({ url: `/api/v1/orgs/${orgId}/findings${query}`, headers: owner.headers })).json();
  const byCheck = async (checkId: string) =>
    (await boardOf()).findings.find((f: { checkId: string }) => f.checkId === checkId);
  const patch = (id: string, payload: object, headers = owner.headers, org = orgId) =>
    t.app.inject({ method: 'PATCH', url: `/api/v1/orgs/${org}/findings/${id}`, headers, payload });

  it('opens findings with due dates, resolves them when a scan passes, reopens on regression', async () => {
    const first = await scanWith(
      report(
        [
          { checkId: 'hsts', outcome: 'hsts-missing', severity: 'high' },
          {
            checkId: 'csp',
            outcome: 'csp-missing',
            severity: 'medium',
            evidence: '=HYPERLINK("http://evil")',
          },
        ],
        ['hsts', 'csp'],
      ),
    );
    expect(first).toEqual({ new: 2, fixed: 0, regressed: 0, persisting: 0 });
    const hsts = await byCheck('hsts');
    expect(hsts.status).toBe('open');
    expect(Date.parse(hsts.dueAt) - Date.parse(hsts.firstSeenAt)).toBe(3 * DAY);
    expect((await patch(hsts.id, { status: 'acknowledged' })).json().status).toBe('acknowledged');

    const second = await scanWith(
      report([{ checkId: 'csp', outcome: 'csp-missing', severity: 'medium' }], ['hsts', 'csp']),
    );
    expect(second).toEqual({ new: 0, fixed: 1, regressed: 0, persisting: 1 });
    expect((await byCheck('hsts')).status).toBe('resolved');
    const manual = await patch(hsts.id, { status: 'open' });
    expect(manual.statusCode).toBe(409);
    expect(manual.json().error.code).toBe('conflict');

    const third = await scanWith(
      report([{ checkId: 'hsts', outcome: 'hsts-missing', severity: 'high' }], ['hsts']),
    );
    expect(third).toEqual({ new: 0, fixed: 0, regressed: 1, persisting: 0 });
    const back = await byCheck('hsts');
    expect(back).toMatchObject({ status: 'open', reopenedCount: 1, resolvedAt: null });
    // csp did not run in the third scan, so nothing vouches that it is fixed: it stays open.
    expect((await byCheck('csp')).status).toBe('open');
  });

  it('accepting a risk needs a reason and an expiry; bad input changes nothing', async () => {
    const csp = await byCheck('csp');
    for (const payload of [
      { status: 'accepted' },
      { status: 'accepted', reason: 'legacy app' },
      { status: 'accepted', reason: 'legacy app', until: '2000-01-01T00:00:00Z' },
      { status: 'resolved' },
      { status: 'accepted', reason: 'x', until: 'soon' },
    ]) {
      const res = await patch(csp.id, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
    }
    expect((await byCheck('csp')).status).toBe('open');
    const until = new Date(Date.now() + 30 * DAY).toISOString();
    const ok = await patch(csp.id, { status: 'accepted', reason: 'legacy app', until });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      status: 'accepted',
      accepted: { reason: 'legacy app', until },
      due: 'none',
    });
  });

  it('the board filters and counts by severity and due state; overdue is flagged', async () => {
    const hsts = await byCheck('hsts');
    await t.db.kysely
      .updateTable('findings')
      .set({ due_at: new Date(Date.now() - DAY) })
      .where('id', '=', hsts.id)
      .execute();
    const all = await boardOf();
    expect(all.counts).toMatchObject({
      total: 2,
      // The accepted csp finding is on the board but not open.
      open: 1,
      openBySeverity: { high: 1, medium: 0, critical: 0 },
      bySeverity: { high: 1, medium: 1, critical: 0 },
      byDue: { overdue: 1, none: 1 },
      byStatus: { open: 1, accepted: 1 },
    });
    const overdue = await boardOf('?due=overdue');
    expect(overdue.findings.map((f: { id: string; overdue: boolean }) => [f.id, f.overdue])).toEqual([
      [hsts.id, true],
    ]);
    expect((await boardOf('?severity=medium')).findings.map((f: { checkId: string }) => f.checkId)).toEqual([
      'csp',
    ]);
    const bad = await t.app.inject({
      url: `/api/v1/orgs/${orgId}/findings?due=later`,
      headers: owner.headers,
    });
    expect(bad.statusCode).toBe(400);
  });

  it('exports CSV with formula cells neutralised', async () => {
    // Later scans replaced the first scan's evidence: put the probe's cookie back on one finding.
    await t.db.kysely
      .updateTable('findings')
      .set({ evidence: PROBE_COOKIE })
      .where('check_id', '=', 'csp')
      .execute();
    const res = await t.app.inject({
      url: `/api/v1/orgs/${orgId}/findings/export.csv`,
      headers: owner.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'id,siteId,site,siteUrl,severity,status,due,dueAt,firstSeenAt,lastSeenAt,checkId,title,evidence,remediation',
    );
    const site = await t.db.kysely
      .selectFrom('sites')
      .select(['id', 'name', 'url'])
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow();
    expect(lines[1]!.split(',').slice(1, 4)).toEqual([site.id, csvCell(site.name), csvCell(site.url)]);
    expect(lines).toHaveLength(3);
    expect(res.body).not.toMatch(/(^|,)"?=HYPERLINK/m);
    expect(res.body).not.toMatch(/[,;\t]"* *[=+\-@]/);
    expect(res.body).toContain(`;'=cmd|`);
  });

  it('remediation targets per organisation move due dates', async () => {
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/orgs/${orgId}/remediation-targets`,
      headers: owner.headers,
      payload: { critical: 1, high: 7, medium: 45, low: 120 },
    });
    expect(put.statusCode).toBe(200);
    const hsts = await byCheck('hsts');
    expect(Date.parse(hsts.dueAt) - Date.parse(hsts.firstSeenAt)).toBe(7 * DAY);
    const bad = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/orgs/${orgId}/remediation-targets`,
      headers: owner.headers,
      payload: { critical: 0, high: 7, medium: 45, low: 120 },
    });
    expect(bad.statusCode).toBe(400);
    const get = await t.app.inject({
      url: `/api/v1/orgs/${orgId}/remediation-targets`,
      headers: owner.headers,
    });
    expect(get.json()).toEqual({ critical: 1, high: 7, medium: 45, low: 120 });
  });

  it('another organisation’s findings do not exist for you (404), and nothing changes', async () => {
    const hsts = await byCheck('hsts');
    const before = await t.db.kysely.selectFrom('findings').selectAll().where('org_id', '=', orgId).execute();
    expect((await patch(hsts.id, { status: 'false_positive' }, outsider.headers, otherOrg)).statusCode).toBe(
      404,
    );
    expect((await patch(hsts.id, { status: 'false_positive' }, outsider.headers)).statusCode).toBe(404);
    const read = await t.app.inject({
      url: `/api/v1/orgs/${otherOrg}/findings/${hsts.id}`,
      headers: outsider.headers,
    });
    expect(read.statusCode).toBe(404);
    expect(
      (await t.app.inject({ url: `/api/v1/orgs/${otherOrg}/findings`, headers: outsider.headers })).json()
        .counts.total,
    ).toBe(0);
    expect(
      await t.db.kysely.selectFrom('findings').selectAll().where('org_id', '=', orgId).execute(),
    ).toEqual(before);
  });

  it('moving an accepted risk needs endAcceptance: true, which then ends the acceptance', async () => {
    const csp = await byCheck('csp');
    expect(csp.status).toBe('accepted');
    const before = await t.db.kysely.selectFrom('findings').selectAll().where('id', '=', csp.id).execute();
    for (const payload of [
      { status: 'acknowledged' },
      { status: 'open' },
      { status: 'false_positive', endAcceptance: false },
    ]) {
      const res = await patch(csp.id, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(409);
      expect(res.json().error).toEqual({
        code: 'conflict',
        message:
          'This finding is an accepted risk: send endAcceptance: true to end the acceptance and move it.',
        details: { from: 'accepted', to: payload.status, field: 'endAcceptance' },
      });
    }
    expect(await t.db.kysely.selectFrom('findings').selectAll().where('id', '=', csp.id).execute()).toEqual(
      before,
    );
    const ended = await patch(csp.id, { status: 'acknowledged', endAcceptance: true });
    expect(ended.statusCode).toBe(200);
    expect(ended.json()).toMatchObject({ status: 'acknowledged', accepted: null });
    const row = await t.db.kysely
      .selectFrom('findings')
      .select(['accepted_reason', 'accepted_until'])
      .where('id', '=', csp.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ accepted_reason: null, accepted_until: null });
    expect((await boardOf()).counts).toMatchObject({ open: 2, byStatus: { acknowledged: 1, accepted: 0 } });
  });
});
