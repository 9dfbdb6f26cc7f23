import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/engines.ts';

/** Migration 0110: the status page's published updates are never rewritten nor deleted. */
describe.each(engines)('incident_updates is append-only on %s', (engine) => {
  let db: TestDatabase;
  let incidentId: string;

  beforeAll(async () => {
    db = await createTestDatabase(engine);
    const incident = await db.kysely
      .insertInto('incidents')
      .values({ title: 'Scans delayed', impact: 'minor', status: 'investigating' })
      .returning('id')
      .executeTakeFirstOrThrow();
    incidentId = incident.id;
  }, 120_000);

  afterAll(async () => {
    await db?.close();
  });

  const updates = () =>
    db.kysely
      .selectFrom('incident_updates')
      .select(['id', 'status', 'message', 'created_by'])
      .where('incident_id', '=', incidentId)
      .orderBy('id')
      .execute();

  it('takes new updates, refuses UPDATE, DELETE and TRUNCATE and leaves the rows as they were', async () => {
    await db.kysely
      .insertInto('incident_updates')
      .values([
        { incident_id: incidentId, status: 'investigating', message: 'Looking into it' },
        { incident_id: incidentId, status: 'identified', message: 'A stuck queue' },
      ])
      .execute();
    const before = await updates();
    expect(before.map((u) => u.message)).toEqual(['Looking into it', 'A stuck queue']);

    await expect(
      db.kysely.updateTable('incident_updates').set({ message: 'Nothing happened' }).execute(),
    ).rejects.toThrow(/incident_updates is append-only \(UPDATE refused\)/);
    await expect(
      db.kysely.deleteFrom('incident_updates').where('incident_id', '=', incidentId).execute(),
    ).rejects.toThrow(/incident_updates is append-only \(DELETE refused\)/);
    await expect(sql`truncate incident_updates`.execute(db.kysely)).rejects.toThrow(
      /incident_updates is append-only \(TRUNCATE refused\)/,
    );
    // Deleting the incident would cascade to its updates: refused as well.
    await expect(db.kysely.deleteFrom('incidents').where('id', '=', incidentId).execute()).rejects.toThrow(
      /incident_updates is append-only \(DELETE refused\)/,
    );
    expect(await updates()).toEqual(before);

    // The incident itself stays editable (status, resolved_at), and a further update is a new row.
    await db.kysely
      .updateTable('incidents')
      .set({ status: 'resolved' })
      .where('id', '=', incidentId)
      .execute();
    await db.kysely
      .insertInto('incident_updates')
      .values({ incident_id: incidentId, status: 'resolved', message: 'Fixed' })
      .execute();
    expect((await updates()).map((u) => u.message)).toEqual(['Looking into it', 'A stuck queue', 'Fixed']);
  });
});
