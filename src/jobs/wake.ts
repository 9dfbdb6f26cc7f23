import { sql } from 'kysely';
import type { Database } from '../db/kysely.ts';

/** One channel per job schema: workers of another schema in the same database are not woken. */
const channelOf = (db: Database) => `${db.jobSchema}_queued`;

/**
 * Tells the workers that `queue` has a new job, so that its idle consumers fetch it now rather
 * than at their next poll (up to `pollingIntervalSeconds` later). Inside a transaction the
 * notification leaves at commit, and not at all on rollback. Best effort: the job is queued
 * already and a poll takes it anyway, so a failed announcement does not fail the request.
 */
export async function announceJob(db: Database, queue: string): Promise<void> {
  await sql`select pg_notify(${channelOf(db)}, ${queue})`.execute(db.kysely).catch(() => undefined);
}

/** Calls `wake` with the queue of every job announced (announceJob), in this process or another. */
export function onJobAnnounced(db: Database, wake: (queue: string) => void): Promise<void> {
  return db.listen(channelOf(db), wake);
}
