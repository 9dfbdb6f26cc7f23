import type { Logger } from 'pino';
import type { Database } from '../../db/kysely.ts';
import { metrics } from '../../ops/metrics.ts';
import { keyedHash } from '../auth/crypto.ts';

export interface SecurityEvent {
  /** Dotted name: auth.sign_in.requested, session.revoked, authz.denied, token.created, role.granted … */
  type: string;
  outcome: 'success' | 'failure' | 'info';
  userId?: string | null | undefined;
  /** Who did it, when not the user it is about (an admin, a CLI operator). */
  actorId?: string | null | undefined;
  /** Stored and logged only as a keyed hash, so logs and events never hold the address (ASVS 16.2.5). */
  email?: string | undefined;
  ip?: string | undefined;
  requestId?: string | undefined;
  details?: Record<string, unknown> | undefined;
}

export interface SecurityEvents {
  record(event: SecurityEvent): Promise<void>;
}

/** Pseudonymous, stable reference to an address: lets an operator correlate events without reading mail addresses. */
export function emailRef(appSecret: string, email: string): string {
  return keyedHash(appSecret, 'email-ref', email.toLowerCase()).slice(0, 32);
}

/**
 * Every authentication and authorisation event goes to the security_events table and to the
 * structured log (ASVS 16.3.1, 16.3.2). A failed insert is logged, never thrown: the request
 * it describes must still get its own answer.
 */
export function createSecurityEvents(db: Database, logger: Logger, appSecret: string): SecurityEvents {
  const log = logger.child({ scope: 'auth' });
  return {
    async record(event) {
      const subject = event.email ? emailRef(appSecret, event.email) : null;
      const row = {
        type: event.type,
        outcome: event.outcome,
        user_id: event.userId ?? null,
        actor_id: event.actorId ?? null,
        subject,
        ip: event.ip ?? null,
        request_id: event.requestId ?? null,
        details: event.details ? JSON.stringify(event.details) : null,
      };
      const line = {
        event: event.type,
        outcome: event.outcome,
        userId: row.user_id,
        actorId: row.actor_id,
        subject,
        ip: row.ip,
        reqId: row.request_id,
        details: event.details,
      };
      if (event.outcome === 'failure') {
        metrics.authFailures.inc({ type: event.type });
        log.warn(line, 'security event');
      } else log.info(line, 'security event');
      try {
        await db.kysely.insertInto('security_events').values(row).execute();
      } catch (error) {
        log.error({ err: error, event: event.type }, 'security event not stored');
      }
    },
  };
}
