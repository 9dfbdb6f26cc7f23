import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCESS_REVIEW_KEEP_DAYS,
  ALERT_KEEP_DAYS,
  API_TOKEN_KEEP_DAYS,
  AUTH_BLOCK_KEEP_DAYS,
  dataInventory,
  STRIPE_EVENT_KEEP_DAYS,
} from '../../../src/modules/privacy/inventory.ts';
import { runRetentionPurge } from '../../../src/modules/privacy/purge.ts';
import { PROBE_HISTORY_DAYS } from '../../../src/modules/status/repo.ts';
import { createTestDatabase, engines, type TestDatabase } from '../../helpers/engines.ts';
import { buildUser } from '../../helpers/trust.ts';
import { testConfig } from '../../http/app-helpers.ts';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
const soon = new Date(Date.now() + DAY);

/** The retention rules of the classes added for tables the first inventory left out. */
describe.each(engines)(
  'retention of organisation, token, throttle, alert, monitoring and billing data on %s',
  (engine) => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase(engine);
    });
    afterAll(async () => db.close());

    it('deletes what is past its period and keeps what is not', async () => {
      const user = await buildUser(db);
      const org = randomUUID();
      await db.kysely.insertInto('orgs').values({ id: org, name: 'Kept' }).execute();
      await db.kysely
        .insertInto('memberships')
        .values({ org_id: org, user_id: user.id, role: 'owner' })
        .execute();

      const token = (name: string, extra: { revoked_at?: Date; expires_at?: Date }) => ({
        id: randomUUID(),
        user_id: user.id,
        org_id: org,
        name,
        prefix: name,
        token_hash: randomUUID(),
        scopes: '[]',
        ...extra,
      });
      await db.kysely
        .insertInto('api_tokens')
        .values([
          token('revoked-long-ago', { revoked_at: ago(API_TOKEN_KEEP_DAYS + 1) }),
          token('expired-long-ago', { expires_at: ago(API_TOKEN_KEEP_DAYS + 1) }),
          token('revoked-lately', { revoked_at: ago(API_TOKEN_KEEP_DAYS - 1) }),
          token('valid', { expires_at: soon }),
          token('no-expiry', {}),
        ])
        .execute();

      await db.kysely
        .insertInto('rate_limits')
        .values([
          { key: 'ip|198.51.100.1', hits: 3, reset_at: ago(0.01) },
          { key: 'ip|198.51.100.2', hits: 3, reset_at: soon },
        ])
        .execute();
      await db.kysely
        .insertInto('auth_blocks')
        .values([
          {
            key: 'ip|198.51.100.3',
            failures: 0,
            level: 2,
            window_reset_at: ago(AUTH_BLOCK_KEEP_DAYS + 1),
            blocked_until: ago(AUTH_BLOCK_KEEP_DAYS),
          },
          {
            key: 'ip|198.51.100.4',
            failures: 0,
            level: 1,
            window_reset_at: ago(1),
            blocked_until: new Date(Date.now() + 3_600_000),
          },
        ])
        .execute();

      const [oldEvent, newEvent, hook] = [randomUUID(), randomUUID(), randomUUID()];
      await db.kysely
        .insertInto('alert_events')
        .values([
          {
            id: oldEvent,
            org_id: org,
            type: 'grade.dropped',
            details: '{}',
            created_at: ago(ALERT_KEEP_DAYS + 1),
          },
          { id: newEvent, org_id: org, type: 'grade.dropped', details: '{}', created_at: ago(1) },
        ])
        .execute();
      await db.kysely
        .insertInto('webhooks')
        .values({ id: hook, org_id: org, url: 'https://hooks.example.test/x', secret: 's', events: '[]' })
        .execute();
      await db.kysely
        .insertInto('webhook_deliveries')
        .values([
          { id: randomUUID(), webhook_id: hook, event_id: oldEvent, created_at: ago(ALERT_KEEP_DAYS + 1) },
          { id: randomUUID(), webhook_id: hook, event_id: newEvent, created_at: ago(1) },
        ])
        .execute();

      await db.kysely
        .insertInto('stripe_events')
        .values([
          {
            id: 'evt_old',
            type: 'x',
            created_at: ago(STRIPE_EVENT_KEEP_DAYS + 2),
            received_at: ago(STRIPE_EVENT_KEEP_DAYS + 1),
          },
          { id: 'evt_new', type: 'x', created_at: ago(2), received_at: ago(1) },
        ])
        .execute();
      await db.kysely
        .insertInto('health_probes')
        .values([
          { component: 'database', status: 'ok', checked_at: ago(PROBE_HISTORY_DAYS + 1) },
          { component: 'database', status: 'ok', checked_at: ago(1) },
        ])
        .execute();
      await db.kysely
        .insertInto('access_reviews')
        .values([
          {
            id: randomUUID(),
            reviewer: 'old',
            attestation: 'a',
            accounts: '[]',
            created_at: ago(ACCESS_REVIEW_KEEP_DAYS + 1),
          },
          { id: randomUUID(), reviewer: 'new', attestation: 'a', accounts: '[]', created_at: ago(1) },
        ])
        .execute();

      const outcomes = await runRetentionPurge(db, testConfig());
      expect(outcomes.filter((o) => o.skipped)).toEqual([]);

      const names = (rows: { name: string }[]) => rows.map((r) => r.name).sort();
      expect(names(await db.kysely.selectFrom('api_tokens').select('name').execute())).toEqual([
        'no-expiry',
        'revoked-lately',
        'valid',
      ]);
      expect(await db.kysely.selectFrom('rate_limits').select('key').execute()).toEqual([
        { key: 'ip|198.51.100.2' },
      ]);
      expect(await db.kysely.selectFrom('auth_blocks').select('key').execute()).toEqual([
        { key: 'ip|198.51.100.4' },
      ]);
      expect(await db.kysely.selectFrom('alert_events').select('id').execute()).toEqual([{ id: newEvent }]);
      expect(await db.kysely.selectFrom('webhook_deliveries').select('event_id').execute()).toEqual([
        { event_id: newEvent },
      ]);
      expect(await db.kysely.selectFrom('stripe_events').select('id').execute()).toEqual([{ id: 'evt_new' }]);
      expect(await db.kysely.selectFrom('health_probes').select('component').execute()).toHaveLength(1);
      expect(await db.kysely.selectFrom('access_reviews').select('reviewer').execute()).toEqual([
        { reviewer: 'new' },
      ]);
      // Organisation data has no period: it stays while the organisation exists.
      expect(await db.kysely.selectFrom('orgs').select('id').execute()).toEqual([{ id: org }]);
      expect(await db.kysely.selectFrom('webhooks').select('id').execute()).toEqual([{ id: hook }]);
      expect(dataInventory.find((c) => c.id === 'organisations')!.purge).toEqual([]);
    });
  },
);
