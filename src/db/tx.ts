import type { Transaction } from 'kysely';
import type { Database } from './kysely.ts';
import type { DB } from './types.ts';

export type Tx = Transaction<DB>;

/**
 * Runs fn in one transaction: committed when it resolves, rolled back when it throws.
 * Do not send jobs or call other Database users from inside fn: on the embedded engine the
 * transaction holds the single session until it ends.
 */
export function withTransaction<T>(db: Database, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.kysely.transaction().execute(fn);
}
