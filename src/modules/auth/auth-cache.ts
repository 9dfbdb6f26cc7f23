import { hash } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { CompiledQuery } from 'kysely';
import type { Database } from '../../db/kysely.ts';
import { AUTH_EPOCH_CHANNEL } from '../../db/migrations/0152_auth_epoch_notify.ts';

/** How long a looked-up session or token is reused at most (an expiry passing meanwhile counts late by this much). */
export const AUTH_CACHE_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

/** What a cached lookup is valid under: it must not have changed since the entry was read. */
interface Epoch {
  /** The epoch as of this request: every revocation committed before it arrived counts. */
  current(): Promise<string> | string;
  close(): Promise<void>;
}

const READ_EPOCH = CompiledQuery.raw('select value from auth_epoch where id = 1');

/** How many epoch reads may be under way at once (PostgreSQL). */
const MAX_READS_IN_FLIGHT = 2;

/**
 * PostgreSQL: the revocation epoch (table auth_epoch, raised by triggers: migration 0120), read
 * by a query sent after the caller asked, so every revocation committed before its request
 * arrived is seen. Callers share reads: a read is sent once the event loop has handled the input
 * at hand (setImmediate), and every caller that asked before it was sent shares its answer.
 * Up to MAX_READS_IN_FLIGHT reads overlap, so a request waits for about one round trip rather
 * than for the read under way and then its own; beyond that, callers wait for the next read to
 * be sent when one answers.
 */
class EpochReader implements Epoch {
  private inFlight = 0;
  private unsent: Promise<string> | undefined;
  private scheduled = false;
  private pending: { resolve: (epoch: string) => void; reject: (error: unknown) => void } | undefined;

  constructor(private readonly db: Database) {}

  current(): Promise<string> {
    this.unsent ??= new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
    });
    this.schedule();
    return this.unsent;
  }

  /** Sends the unsent read at the end of this turn, if a slot is free then. */
  private schedule(): void {
    if (this.scheduled || !this.unsent || this.inFlight >= MAX_READS_IN_FLIGHT) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const waiting = this.pending;
      if (!waiting || this.inFlight >= MAX_READS_IN_FLIGHT) return;
      this.unsent = undefined;
      this.pending = undefined;
      this.inFlight += 1;
      this.read()
        .then(waiting.resolve, waiting.reject)
        .finally(() => {
          this.inFlight -= 1;
          this.schedule();
        });
    });
  }

  private async read(): Promise<string> {
    const { rows } = await this.db.kysely.executeQuery<{ value: string | number }>(READ_EPOCH);
    if (!rows[0]) throw new Error('auth_epoch has no row');
    return String(rows[0].value);
  }

  async close(): Promise<void> {}
}

/**
 * The embedded engine: one process owns the database, and PGlite calls a listener before the
 * statement that committed a NOTIFY returns (migration 0152), so a count of the announcements
 * heard is as current as a read of the epoch, without a query per request.
 */
class EpochListener implements Epoch {
  private heard = 0;
  private listened = false;
  private readonly listening: Promise<() => Promise<void>>;

  constructor(db: Database, pglite: PGlite) {
    // Holding a connection keeps LISTEN out of another caller's open transaction.
    this.listening = db.kysely
      .connection()
      .execute(() => pglite.listen(AUTH_EPOCH_CHANNEL, () => (this.heard += 1)));
    this.listening.then(
      () => (this.listened = true),
      () => {}, // reported to the requests that wait for it
    );
  }

  current(): Promise<string> | string {
    // Once listening, the count is current as it stands: no promise per request.
    return this.listened ? String(this.heard) : this.listening.then(() => String(this.heard));
  }

  async close(): Promise<void> {
    const unlisten = await this.listening.catch(() => undefined);
    await unlisten?.().catch(() => {}); // the database may be closed already
  }
}

interface Entry<T> {
  value: T;
  epoch: string;
  at: number;
}

/**
 * Session and API-token lookups, kept per web process for at most AUTH_CACHE_TTL_MS and only
 * while the revocation epoch is unchanged: a sign-out, revocation, disabled account or role change
 * on any process ends the access on all of them for the next request. Keyed by a hash of the
 * secret; only successful lookups are kept, so every failure still goes to the database (and
 * its security event).
 */
export class AuthCache {
  private readonly entries = new Map<string, Entry<unknown>>();
  private readonly epoch: Epoch;

  constructor(
    db: Database,
    private readonly ttlMs = AUTH_CACHE_TTL_MS,
  ) {
    this.epoch = db.pglite ? new EpochListener(db, db.pglite) : new EpochReader(db);
  }

  /**
   * `copy` answers a copy of a lookup worth keeping (undefined: do not keep it); each request
   * gets its own copy, so what one request changes on its `auth` no other sees.
   */
  async get<T>(
    kind: string,
    secret: string,
    load: () => Promise<T>,
    copy: (value: T) => T | undefined,
  ): Promise<T> {
    // The one-shot hash: no Hash object per request.
    const key = `${kind}:${hash('sha256', secret, 'base64url')}`;
    const current = this.epoch.current();
    const epoch = typeof current === 'string' ? current : await current;
    const now = Date.now();
    const hit = this.entries.get(key) as Entry<T> | undefined;
    if (hit && hit.epoch === epoch && now - hit.at < this.ttlMs) return copy(hit.value)!;
    const value = await load();
    const kept = copy(value);
    this.entries.delete(key);
    if (kept !== undefined) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { value: kept, epoch, at: now });
    }
    return value;
  }

  close(): Promise<void> {
    return this.epoch.close();
  }
}
