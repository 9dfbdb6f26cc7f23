import { createHash } from 'node:crypto';
import type { Database } from '../../db/kysely.ts';

/** How long a looked-up session or token is reused at most (an expiry passing meanwhile counts late by this much). */
export const AUTH_CACHE_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

/**
 * The revocation epoch (table auth_epoch, raised by triggers: migration 0120). A caller gets a
 * value read by a query that started after it asked, so every revocation committed before its
 * request arrived is seen; callers that ask while a read is under way share the next one, so
 * concurrent requests cost one small query between them instead of a lookup each.
 */
class EpochReader {
  private inFlight: Promise<string> | undefined;
  private next: Promise<string> | undefined;

  constructor(private readonly db: Database) {}

  current(): Promise<string> {
    if (!this.inFlight) {
      this.inFlight = this.read().finally(() => (this.inFlight = undefined));
      return this.inFlight;
    }
    this.next ??= this.inFlight
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.current();
      });
    return this.next;
  }

  private async read(): Promise<string> {
    const row = await this.db.kysely
      .selectFrom('auth_epoch')
      .select('value')
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    return String(row.value);
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
  private readonly epoch: EpochReader;

  constructor(
    db: Database,
    private readonly ttlMs = AUTH_CACHE_TTL_MS,
  ) {
    this.epoch = new EpochReader(db);
  }

  async get<T>(
    kind: string,
    secret: string,
    load: () => Promise<T>,
    keep: (value: T) => boolean,
  ): Promise<T> {
    const key = `${kind}:${createHash('sha256').update(secret).digest('base64url')}`;
    const epoch = await this.epoch.current();
    const now = Date.now();
    const hit = this.entries.get(key) as Entry<T> | undefined;
    if (hit && hit.epoch === epoch && now - hit.at < this.ttlMs) return structuredClone(hit.value);
    const value = await load();
    if (keep(value)) {
      this.entries.delete(key);
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { value: structuredClone(value), epoch, at: now });
    } else {
      this.entries.delete(key);
    }
    return value;
  }
}
