/**
 * recordFindings writes a scan's findings in a few multi-row statements (bench:service): every
 * lifecycle change still lands on the right row, in one scan that has them all, and another site's
 * findings are left alone.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeResult } from '../../../src/modules/scans/run.ts';
import type { Severity } from '../../../src/scanner/types.ts';
import { createTestDatabase, engines, type TestDatabase } from '../../helpers/engines.ts';
import { buildReport, checkResult, type FindingSpec } from '../service-fixtures.ts';

const DAY = 86_400_000;

describe.each(engines)('recordFindings on %s', (engine) => {
  let db: TestDatabase;
  const orgId = randomUUID();
  const siteId = randomUUID();
  const otherSite = randomUUID();
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    await db.kysely.insertInto('orgs').values({ id: orgId, name: 'Org', plan: 'business' }).execute();
    for (const id of [siteId, otherSite])
      await db.kysely
        .insertInto('sites')
        .values({
          id,
          org_id: orgId,
          url: `https://${id}.example.test/`,
          host: `${id}.example.test`,
          name: id,
          verification_token: 't',
        })
        .execute();
  }, 120_000);
  afterAll(async () => db?.close());

  const store = async (site: string, findings: FindingSpec[], ran: string[]) => {
    const id = randomUUID();
    await db.kysely
      .insertInto('scans')
      .values({
        id,
        org_id: orgId,
        site_id: site,
        target: 'https://shop.example.test/',
        host: 'shop.example.test',
        source: 'api',
        requested_by: null,
        status: 'running',
      })
      .execute();
    const report = buildReport({
      grade: 'C',
      score: 50,
      checks: ran.map((c) => checkResult(c, 'pass')),
      findings,
    });
    expect(await storeResult(db, id, report)).toBe(true);
    return id;
  };
  const rows = (site = siteId) =>
    db.kysely.selectFrom('findings').selectAll().where('site_id', '=', site).orderBy('check_id').execute();
  const links = async (scanId: string) =>
    Object.fromEntries(
      (
        await db.kysely
          .selectFrom('scan_findings')
          .innerJoin('findings', 'findings.id', 'scan_findings.finding_id')
          .select(['findings.check_id', 'scan_findings.change'])
          .where('scan_id', '=', scanId)
          .execute()
      ).map((r) => [r.check_id, r.change]),
    );
  const set = (check: string, values: object) =>
    db.kysely
      .updateTable('findings')
      .set(values)
      .where('site_id', '=', siteId)
      .where('check_id', '=', check)
      .execute();

  it('one scan that is new, persisting, expired, still accepted, regressed and fixed at once', async () => {
    const all: FindingSpec[] = ['csp', 'hsts', 'sri', 'cors', 'https', 'referrer-policy'].map((checkId) => ({
      checkId,
      severity: 'medium' as Severity,
    }));
    const ran = all.map((f) => f.checkId).concat('x-content-type-options', 'frame-options');
    await store(siteId, all, ran);
    await store(otherSite, all.slice(0, 2), ran);
    const otherBefore = await rows(otherSite);
    // hsts: an accepted risk whose acceptance has expired; sri: accepted until next month;
    // cors: resolved (it comes back); https and referrer-policy: open, and this scan no longer sees them.
    await set('hsts', {
      status: 'accepted',
      accepted_reason: 'legacy',
      accepted_until: new Date(Date.now() - DAY),
    });
    const until = new Date(Date.now() + 30 * DAY);
    await set('sri', { status: 'accepted', accepted_reason: 'vendor', accepted_until: until });
    await set('cors', { status: 'resolved', resolved_at: new Date() });
    await set('referrer-policy', { status: 'false_positive' });

    const scanId = await store(
      siteId,
      [
        { checkId: 'csp', severity: 'high', evidence: 'changed evidence', title: 'csp now high' },
        { checkId: 'hsts', severity: 'medium' },
        { checkId: 'sri', severity: 'low' },
        { checkId: 'cors', severity: 'critical' },
        { checkId: 'x-content-type-options', severity: 'low' },
        { checkId: 'frame-options', severity: 'medium' },
      ],
      ran,
    );
    expect(await links(scanId)).toEqual({
      csp: 'persisting',
      hsts: 'persisting',
      sri: 'persisting',
      cors: 'regressed',
      'x-content-type-options': 'new',
      'frame-options': 'new',
      https: 'fixed',
    });
    const byCheck = Object.fromEntries((await rows()).map((r) => [r.check_id, r]));
    expect(byCheck.csp).toMatchObject({
      status: 'open',
      severity: 'high',
      title: 'csp now high',
      evidence: 'changed evidence',
      last_scan_id: scanId,
    });
    expect(byCheck.hsts).toMatchObject({ status: 'open', accepted_reason: null, accepted_until: null });
    expect(byCheck.sri).toMatchObject({ status: 'accepted', accepted_reason: 'vendor', severity: 'low' });
    expect(byCheck.sri!.accepted_until!.getTime()).toBe(until.getTime());
    expect(byCheck.cors).toMatchObject({
      status: 'open',
      reopened_count: 1,
      resolved_at: null,
      severity: 'critical',
    });
    expect(byCheck.https).toMatchObject({
      status: 'resolved',
      last_scan_id: expect.not.stringMatching(scanId),
    });
    expect(byCheck.https!.resolved_at).not.toBeNull();
    // Not seen, but a false positive is not "fixed": it keeps its status and gets no link.
    expect(byCheck['referrer-policy']).toMatchObject({ status: 'false_positive' });
    for (const check of ['x-content-type-options', 'frame-options'])
      expect(byCheck[check]).toMatchObject({ status: 'open', first_seen_at: byCheck[check]!.last_seen_at });
    // Every row seen by this scan carries its time; the other site's findings are untouched.
    const seenAt = byCheck.csp!.last_seen_at.getTime();
    for (const check of ['hsts', 'sri', 'cors', 'x-content-type-options'])
      expect(byCheck[check]!.last_seen_at.getTime(), check).toBe(seenAt);
    expect(await rows(otherSite)).toEqual(otherBefore);
  });

  it('more findings than one statement carries (chunks of 500) are all recorded, then all fixed', async () => {
    const site = randomUUID();
    await db.kysely
      .insertInto('sites')
      .values({
        id: site,
        org_id: orgId,
        url: 'https://many.example.test/',
        host: 'many.example.test',
        name: 'many',
        verification_token: 't',
      })
      .execute();
    const many: FindingSpec[] = Array.from({ length: 1100 }, (_, i) => ({
      checkId: 'csp',
      outcome: `csp-outcome-${i}`,
      severity: 'low' as Severity,
    }));
    const first = await store(site, many, ['csp']);
    const second = await store(site, many, ['csp']);
    const third = await store(site, [], ['csp']);
    const count = async (scanId: string, change: string) =>
      Number(
        (
          await db.kysely
            .selectFrom('scan_findings')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('scan_id', '=', scanId)
            .where('change', '=', change as 'new')
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count(first, 'new')).toBe(1100);
    expect(await count(second, 'persisting')).toBe(1100);
    expect(await count(third, 'fixed')).toBe(1100);
    const statuses = await db.kysely
      .selectFrom('findings')
      .select('status')
      .distinct()
      .where('site_id', '=', site)
      .execute();
    expect(statuses).toEqual([{ status: 'resolved' }]);
  });
});
