import type { FastifyRequest } from 'fastify';
import type { Database } from '../../db/kysely.ts';
import { appendAudit } from './service.ts';

/** The organisation settings changes that go to the audit chain (docs/trust.md). */
export type SettingsAction =
  | 'org.remediation_targets_changed'
  | 'org.notification_preferences_changed'
  | 'org.webhook_created'
  | 'org.webhook_deleted'
  | 'org.member_role_changed'
  | 'org.member_removed'
  | 'org.member_left'
  | 'org.token_created'
  | 'org.token_revoked'
  | 'org.schedule_changed'
  | 'org.site_changed'
  | 'org.site_deleted';

/**
 * Appends an organisation settings change, after it succeeded, to the hash chain. The hashed
 * content holds ids, roles and setting values only; the actor's email and IP sit in the erasable
 * personal part. Never pass emails, URLs with credentials or secrets as details.
 */
export async function auditSettingsChange(
  db: Database,
  request: FastifyRequest,
  action: SettingsAction,
  change: { orgId: string; targetType: string; targetId: string; details?: Record<string, unknown> },
): Promise<void> {
  const user = request.auth?.user;
  await appendAudit(db, {
    action,
    actorId: user?.id ?? null,
    targetType: change.targetType,
    targetId: change.targetId,
    details: { orgId: change.orgId, via: request.auth?.via ?? 'session', ...change.details },
    ...(user && { actorEmail: user.email }),
    ip: request.ip,
  });
}
