import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cronFor, lastOccurrence, validateSchedule } from '../../../src/modules/schedules/cron.ts';
import { enqueueDueScans } from '../../../src/modules/schedules/service.ts';
import { engines } from '../../helpers/engines.ts';
import { waitFor } from '../../helpers/wait.ts';
import { startTestSite, type RunningSite } from '../../sites/site.ts';
import type { SignedIn } from '../auth/helpers.ts';
import { addSite, createOrg, createServiceApp, signIn, type ServiceTestApp } from './helpers.ts';

describe('schedules', () => {
  it('daily and weekly get a stable minute and hour per site; cron is at most hourly', () => {
    const id = '6f1c2f0e-1111-4111-8111-111111111111';
    expect(cronFor('daily', id)).toBe(cronFor('daily', id));
    expect(cronFor('daily', id)).toMatch(/^\d{1,2} \d{1,2} \* \* \*$/);
    expect(cronFor('weekly', id)).toMatch(/^\d{1,2} \d{1,2} \* \* [0-6]$/);
    expect(cronFor('15 3 * * 1', id)).toBe('15 3 * * 1');
    expect(() => validateSchedule('0 */6 * * *')).not.toThrow();
    for (const bad of ['* * * * *', 'nonsense', '61 * * * *', 'hourly'])
      expect(() => validateSchedule(bad), bad).toThrow(/validation/);
    expect(lastOccurrence('0 4 * * *', new Date('2026-01-10T05:00:00Z')).toISOString()).toBe(
      '2026-01-10T04:00:00.000Z',
    );
    expect(lastOccurrence('0 4 * * *', new Date('2026-01-10T04:00:00Z')).toISOString()).toBe(
      '2026-01-10T04:00:00.000Z',
    );
  });
});

describe.each(engines)('scheduled monitoring on %s', (engine) => {
  let t: ServiceTestApp;
  let target: RunningSite;
  let owner: SignedIn;
  let orgId: string;
  let siteId: string;
  beforeAll(async () => {
    target = await startTestSite({ tls: false, http: true });
    t = await createServiceApp(engine);
    owner = await signIn(t, 'owner@example.com');
    orgId = await createOrg(t, owner);
    siteId = (await addSite(t, owner, orgId, target.url)).id;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await target?.close();
  });

  const put = (schedule: string | null) =>
    t.app.inject({
      method: 'PUT',
      url: `/api/v1/orgs/${orgId}/sites/${siteId}/schedule`,
      headers: owner.headers,
      payload: { schedule },
    });

  it('only a verified site is monitored; a bad schedule is refused; nothing changes', async () => {
    const unverified = await put('daily');
    expect(unverified.statusCode).toBe(403);
    expect(unverified.json().error.code).toBe('site_not_verified');
    await t.db.kysely
      .updateTable('sites')
      .set({ verified_at: new Date(), verified_by: 'file' })
      .where('id', '=', siteId)
      .execute();
    const bad = await put('* * * * *');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([
      { path: 'body.schedule', message: expect.stringMatching(/hourly/) },
    ]);
    const row = await t.db.kysely
      .selectFrom('sites')
      .select('schedule')
      .where('id', '=', siteId)
      .executeTakeFirstOrThrow();
    expect(row.schedule).toBeNull();
    const ok = await put('daily');
    expect(ok.statusCode).toBe(200);
    expect(ok.json().schedule).toBe('daily');
  });

  it('a due schedule queues exactly one scan per occurrence; the worker runs it into the grade history', async () => {
    const later = new Date(Date.now() + 2 * 86_400_000);
    const logger = pino({ level: 'silent' });
    const queued = await enqueueDueScans(t.db, t.config, t.jobs.boss, logger, later);
    expect(queued).toHaveLength(1);
    expect(await enqueueDueScans(t.db, t.config, t.jobs.boss, logger, later)).toEqual([]);
    const done = await waitFor(
      async () => {
        const row = await t.db.kysely
          .selectFrom('scans')
          .selectAll()
          .where('id', '=', queued[0]!)
          .executeTakeFirstOrThrow();
        return row.status === 'succeeded' ? row : undefined;
      },
      90_000,
      200,
    );
    expect(done.source).toBe('schedule');
    const site = await t.app.inject({ url: `/api/v1/orgs/${orgId}/sites/${siteId}`, headers: owner.headers });
    expect(site.json().trend).toEqual([
      {
        at: done.finished_at!.toISOString(),
        grade: done.grade,
        score: done.score,
        privacyGrade: null,
        privacyScore: null,
      },
    ]);
    expect(site.json().latestGrade).toBe(done.grade);
    // Stopping the schedule needs no verification and stops the ticks.
    expect((await put(null)).json().schedule).toBeNull();
    expect(
      await enqueueDueScans(t.db, t.config, t.jobs.boss, logger, new Date(later.getTime() + 2 * 86_400_000)),
    ).toEqual([]);
  }, 120_000);
});
