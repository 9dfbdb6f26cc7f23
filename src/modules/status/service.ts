import parser from 'cron-parser';
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

/** What the page says of a component: its newest probe's state, or `no_data` when that probe is stale. */
export type ComponentStatus = ProbeStatus | 'no_data';

/**
 * `no_data` ranks above ok: a page whose monitor stopped must not say "operational" (an outage
 * would look exactly like that), yet a component known to be degraded or down says more.
 */
const rank: Record<ComponentStatus, number> = { ok: 0, no_data: 1, degraded: 2, down: 3 };
const worse = (a: ComponentStatus, b: ComponentStatus): ComponentStatus => (rank[b] > rank[a] ? b : a);

/** A component's newest probe is stale once this many scheduled monitor runs have passed since it. */
export const STALE_AFTER_MISSED_RUNS = 3;
/** A scheduled run gets this long to store its probes before it counts as missed (the job expires at 55 s). */
const RUN_GRACE_MS = 60_000;

/**
 * True when MONITOR_CRON has fired at least STALE_AFTER_MISSED_RUNS times since `checkedAt` (each
 * given a minute to finish): the monitor or its worker stopped, so the old state is no longer known.
 * Counting scheduled runs instead of a fixed age keeps a slower MONITOR_CRON from looking stale.
 */
export function isStale(checkedAt: Date, monitorCron: string, now = new Date()): boolean {
  const endDate = new Date(now.getTime() - RUN_GRACE_MS);
  if (endDate <= checkedAt) return false;
  const runs = parser.parseExpression(monitorCron, { tz: 'UTC', currentDate: checkedAt, endDate });
  for (let i = 0; i < STALE_AFTER_MISSED_RUNS; i++) {
    if (!runs.hasNext()) return false;
    runs.next();
  }
  return true;
}

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
  config: Pick<ResolvedConfig, 'backupRpoHours' | 'monitorCron'>,
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
      status: isStale(state!.checkedAt, config.monitorCron, now) ? ('no_data' as const) : state!.status,
      checkedAt: state!.checkedAt.toISOString(),
      uptime: uptimeBars(
        uptime.filter((u) => u.component === id),
        UPTIME_WINDOW_DAYS,
        now,
      ),
    }));
  let overall = components.reduce<ComponentStatus>((acc, c) => worse(acc, c.status), 'ok');
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
