import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FindingStatus } from '../../../src/db/types-service.ts';
import { CLOSED_FINDING_KEEP_DAYS, dataInventory } from '../../../src/modules/privacy/inventory.ts';
import { runRetentionPurge } from '../../../src/modules/privacy/purge.ts';
import { createTestDatabase, engines, type TestDatabase } from '../../helpers/engines.ts';
import { testConfig } from '../../http/app-helpers.ts';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

/** Closed findings (resolved, false positives no scan reports any more) age out with the scans. */
describe.each(engines)('retention of closed findings on %s', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
  }, 120_000);
  afterAll(async () => db?.close());

  it('is a rule of the scans class, as long as the scan reports', () => {
    const scans = dataInventory.find((c) => c.id === 'scans')!;
    expect(scans.purge.filter((r) => r.table === 'findings')).toMatchObject([
      { olderThan: 'resolved_at', onlyWhere: { column: 'status', values: ['resolved'] } },
      { olderThan: 'last_seen_at', onlyWhere: { column: 'status', values: ['false_positive'] } },
    ]);
    expect(CLOSED_FINDING_KEEP_DAYS).toBeGreaterThanOrEqual(365);
  });

  it('deletes findings resolved or unreported long ago with their scan links, keeps open and recent ones', async () => {
    const org = randomUUID();
    const site = randomUUID();
    const scan = randomUUID();
    await db.kysely.insertInto('orgs').values({ id: org, name: 'Shop' }).execute();
    await db.kysely
      .insertInto('sites')
      .values({
        id: site,
        org_id: org,
        url: 'https://shop.example/',
        host: 'shop.example',
        name: 'Shop',
        verification_token: 'x',
      })
      .execute();
    await db.kysely
      .insertInto('scans')
      .values({
        id: scan,
        org_id: org,
        site_id: site,
        target: 'https://shop.example/',
        host: 'shop.example',
        source: 'api',
        status: 'succeeded',
      })
      .execute();

    const old = CLOSED_FINDING_KEEP_DAYS + 1;
    const recent = CLOSED_FINDING_KEEP_DAYS - 1;
    const finding = (
      name: string,
      status: FindingStatus,
      seen: { first: Date; last: Date },
      resolvedAt: Date | null = null,
    ) => ({
      id: randomUUID(),
      org_id: org,
      site_id: site,
      fingerprint: name,
      check_id: name,
      outcome: 'bad',
      severity: 'medium' as const,
      title: name,
      evidence: 'e',
      remediation: 'r',
      status,
      first_seen_at: seen.first,
      last_seen_at: seen.last,
      resolved_at: resolvedAt,
    });
    const rows = [
      finding('resolved-long-ago', 'resolved', { first: ago(old + 30), last: ago(old + 1) }, ago(old)),
      // Last seen long ago, but resolved lately: the resolution date counts.
      finding('resolved-lately', 'resolved', { first: ago(old + 30), last: ago(old + 1) }, ago(recent)),
      finding('open-old', 'open', { first: ago(old + 30), last: ago(old) }),
      finding('acknowledged-old', 'acknowledged', { first: ago(old + 30), last: ago(old) }),
      finding('accepted-old', 'accepted', { first: ago(old + 30), last: ago(old) }),
      finding('false-positive-gone', 'false_positive', { first: ago(old + 30), last: ago(old) }),
      // Still reported by scans: deleting it would raise it again as a new open finding.
      finding('false-positive-reported', 'false_positive', { first: ago(old + 30), last: ago(1) }),
    ];
    await db.kysely.insertInto('findings').values(rows).execute();
    await db.kysely
      .insertInto('scan_findings')
      .values(rows.map((r) => ({ scan_id: scan, finding_id: r.id, change: 'persisting' })))
      .execute();

    const outcomes = await runRetentionPurge(db, testConfig());
    expect(outcomes.filter((o) => o.table === 'findings')).toEqual([
      { classId: 'scans', table: 'findings', action: 'delete', days: CLOSED_FINDING_KEEP_DAYS, affected: 1 },
      { classId: 'scans', table: 'findings', action: 'delete', days: CLOSED_FINDING_KEEP_DAYS, affected: 1 },
    ]);

    const kept = [
      'resolved-lately',
      'open-old',
      'acknowledged-old',
      'accepted-old',
      'false-positive-reported',
    ].sort();
    const names = (await db.kysely.selectFrom('findings').select('title').execute()).map((r) => r.title);
    expect(names.sort()).toEqual(kept);
    const linked = await db.kysely
      .selectFrom('scan_findings')
      .innerJoin('findings', 'findings.id', 'scan_findings.finding_id')
      .select('findings.title')
      .execute();
    expect(linked.map((r) => r.title).sort()).toEqual(kept);
    expect(await db.kysely.selectFrom('scan_findings').select('finding_id').execute()).toHaveLength(
      kept.length,
    );
    // The (recent) scan itself stays.
    expect(await db.kysely.selectFrom('scans').select('id').execute()).toEqual([{ id: scan }]);

    // A second run finds nothing more to delete.
    const again = await runRetentionPurge(db, testConfig());
    expect(again.filter((o) => o.table === 'findings').map((o) => o.affected)).toEqual([0, 0]);
  });
});
