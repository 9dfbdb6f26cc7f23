import type { Logger } from 'pino';
import type { ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';

export interface BackupHealth {
  lastBackupAt: Date | null;
  ageSeconds: number | null;
  rpoTargetSeconds: number;
  lastDrill: { at: Date; ok: boolean; rtoSeconds: number } | null;
}

/** What the status page and the monitor show about backups: age against the RPO target, and the last drill. */
export async function backupHealth(
  db: Database,
  config: Pick<ResolvedConfig, 'backupRpoHours'>,
  now = new Date(),
): Promise<BackupHealth> {
  const last = await db.kysely
    .selectFrom('backups')
    .select('created_at')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const drill = await db.kysely
    .selectFrom('backup_drills')
    .select(['started_at', 'ok', 'rto_seconds'])
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const lastBackupAt = last ? new Date(last.created_at) : null;
  return {
    lastBackupAt,
    ageSeconds: lastBackupAt
      ? Math.max(0, Math.round((now.getTime() - lastBackupAt.getTime()) / 1000))
      : null,
    rpoTargetSeconds: config.backupRpoHours * 3600,
    lastDrill: drill
      ? { at: new Date(drill.started_at), ok: drill.ok, rtoSeconds: Number(drill.rto_seconds) }
      : null,
  };
}

/** The alert conditions: no backup, a backup older than the RPO target, or a failed last drill. */
export function backupAlerts(health: BackupHealth): string[] {
  const alerts: string[] = [];
  if (health.ageSeconds === null) alerts.push('no backup has been taken yet');
  else if (health.ageSeconds > health.rpoTargetSeconds)
    alerts.push(
      `the last good backup is ${Math.round(health.ageSeconds / 3600)} h old, older than the RPO target of ${health.rpoTargetSeconds / 3600} h`,
    );
  if (health.lastDrill && !health.lastDrill.ok)
    alerts.push(`the last restore drill failed (${health.lastDrill.at.toISOString()})`);
  return alerts;
}

/**
 * The alert hook: logs each alert at error level under scope `ops`, where the monitor and
 * alerting (webhook, email) pick them up.
 */
export async function reportBackupHealth(
  db: Database,
  config: Pick<ResolvedConfig, 'backupRpoHours'>,
  logger: Logger,
): Promise<{ health: BackupHealth; alerts: string[] }> {
  const health = await backupHealth(db, config);
  const alerts = backupAlerts(health);
  for (const alert of alerts)
    logger.error({ scope: 'ops', alert: 'backup', health }, `backup alert: ${alert}`);
  return { health, alerts };
}
