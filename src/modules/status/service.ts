import type { ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import type { IncidentImpact, IncidentStatus, ProbeStatus } from '../../db/types.ts';
import { withTransaction } from '../../db/tx.ts';
import { AppError } from '../../errors.ts';
import { backupHealth } from '../../ops/backup/health.ts';
import { COMPONENTS } from '../../ops/probes.ts';
import { appendAudit } from '../audit/service.ts';
import { listIncidents, loadIncident } from './incidents-repo.ts';
import { currentStates, uptimeDays, type UptimeDay } from './repo.ts';
import type { IncidentJson, StatusDocumentJson } from './schema.ts';

export const UPTIME_WINDOW_DAYS = 90;
/** Resolved incidents stay on the public page this long. */
export const RESOLVED_SHOWN_DAYS = 14;

/** Public names of the monitored components (src/ops/probes.ts). */
export const componentNames: Record<string, string> = {
  web: 'Web application',
  database: 'Database',
  queue: 'Job queue',
  workers: 'Scan workers',
  backups: 'Backups',
  'restore-drill': 'Restore drills',
  disk: 'Storage',
  certificate: 'TLS certificate',
};

const rank: Record<ProbeStatus, number> = { ok: 0, degraded: 1, down: 2 };
const worse = (a: ProbeStatus, b: ProbeStatus): ProbeStatus => (rank[b] > rank[a] ? b : a);

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** One bar per UTC day of the window, oldest first; a day without probes has no ratio. */
export function uptimeBars(rows: UptimeDay[], days: number, now = new Date()) {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const bars = [];
  let ok = 0;
  let total = 0;
  for (let i = days - 1; i >= 0; i--) {
    const day = isoDay(new Date(now.getTime() - i * 86_400_000));
    const row = byDay.get(day);
    const count = row ? row.ok + row.degraded + row.down : 0;
    ok += row?.ok ?? 0;
    total += count;
    bars.push({
      day,
      ratio: count ? row!.ok / count : null,
      worst: !row
        ? null
        : row.down
          ? ('down' as const)
          : row.degraded
            ? ('degraded' as const)
            : ('ok' as const),
    });
  }
  return { ratio: total ? ok / total : null, days: bars };
}

/** GET /status.json: components with their state and uptime bars, incidents, backup facts. */
export async function statusDocument(
  db: Database,
  config: Pick<ResolvedConfig, 'backupRpoHours'>,
  now = new Date(),
): Promise<StatusDocumentJson> {
  const [states, uptime, incidents, backups] = await Promise.all([
    currentStates(db),
    uptimeDays(db, UPTIME_WINDOW_DAYS),
    listIncidents(db, { since: new Date(now.getTime() - RESOLVED_SHOWN_DAYS * 86_400_000) }),
    backupHealth(db, config, now),
  ]);
  const known = [...COMPONENTS, ...states.map((s) => s.component).filter((c) => !COMPONENTS.includes(c))];
  const components = known
    .map((id) => ({ id, state: states.find((s) => s.component === id) }))
    .filter((c) => c.state)
    .map(({ id, state }) => ({
      id,
      name: componentNames[id] ?? id,
      status: state!.status,
      checkedAt: state!.checkedAt.toISOString(),
      uptime: uptimeBars(
        uptime.filter((u) => u.component === id),
        UPTIME_WINDOW_DAYS,
        now,
      ),
    }));
  let overall = components.reduce<ProbeStatus>((acc, c) => worse(acc, c.status), 'ok');
  for (const incident of incidents) {
    if (incident.status === 'resolved') continue;
    overall = worse(
      overall,
      incident.impact === 'minor' ? 'degraded' : incident.impact === 'major' ? 'degraded' : 'down',
    );
  }
  return {
    status: overall,
    generatedAt: now.toISOString(),
    windowDays: UPTIME_WINDOW_DAYS,
    components,
    incidents,
    backups: {
      lastBackupAt: backups.lastBackupAt?.toISOString() ?? null,
      rpoTargetHours: backups.rpoTargetSeconds / 3600,
      lastDrillAt: backups.lastDrill?.at.toISOString() ?? null,
      lastDrillOk: backups.lastDrill?.ok ?? null,
      rtoSeconds: backups.lastDrill?.rtoSeconds ?? null,
    },
  };
}

export interface Actor {
  id: string;
  email: string;
  ip: string;
}

export async function createIncident(
  db: Database,
  actor: Actor,
  input: {
    title: string;
    impact: IncidentImpact;
    status?: IncidentStatus;
    components: string[];
    message: string;
  },
): Promise<IncidentJson> {
  const status = input.status ?? 'investigating';
  const id = await withTransaction(db, async (tx) => {
    const row = await tx
      .insertInto('incidents')
      .values({
        title: input.title,
        impact: input.impact,
        status,
        components: JSON.stringify(input.components),
        created_by: actor.id,
        resolved_at: status === 'resolved' ? new Date() : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('incident_updates')
      .values({ incident_id: row.id, status, message: input.message, created_by: actor.id })
      .execute();
    await appendAudit(tx, {
      action: 'incident.created',
      actorId: actor.id,
      actorEmail: actor.email,
      ip: actor.ip,
      targetType: 'incident',
      targetId: row.id,
      details: { impact: input.impact, status, components: input.components },
    });
    return row.id;
  });
  return (await loadIncident(db, id))!;
}

/** A new update sets the incident's status; `resolved` stamps resolved_at, any other clears it. */
export async function updateIncident(
  db: Database,
  actor: Actor,
  id: string,
  input: { status: IncidentStatus; message: string },
): Promise<IncidentJson> {
  await withTransaction(db, async (tx) => {
    const row = await tx
      .selectFrom('incidents')
      .select(['id', 'status'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new AppError('not_found');
    const now = new Date();
    await tx
      .updateTable('incidents')
      .set({ status: input.status, updated_at: now, resolved_at: input.status === 'resolved' ? now : null })
      .where('id', '=', id)
      .execute();
    await tx
      .insertInto('incident_updates')
      .values({ incident_id: id, status: input.status, message: input.message, created_by: actor.id })
      .execute();
    await appendAudit(tx, {
      action: 'incident.updated',
      actorId: actor.id,
      actorEmail: actor.email,
      ip: actor.ip,
      targetType: 'incident',
      targetId: id,
      details: { from: row.status, status: input.status },
    });
  });
  return (await loadIncident(db, id))!;
}
