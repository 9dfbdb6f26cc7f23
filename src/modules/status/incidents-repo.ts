import type { Database } from '../../db/kysely.ts';
import type { IncidentTable, IncidentUpdateTable } from '../../db/types.ts';
import type { Selectable } from 'kysely';
import type { IncidentJson } from './schema.ts';

type IncidentRow = Selectable<IncidentTable>;
type UpdateRow = Selectable<IncidentUpdateTable>;

const iso = (d: Date | string) => new Date(d).toISOString();

/** Row → API JSON; staff ids stay internal. */
export function presentIncident(row: IncidentRow, updates: UpdateRow[]): IncidentJson {
  const components =
    typeof row.components === 'string' ? (JSON.parse(row.components) as string[]) : row.components;
  return {
    id: row.id,
    title: row.title,
    impact: row.impact,
    status: row.status,
    components,
    startedAt: iso(row.started_at),
    updatedAt: iso(row.updated_at),
    resolvedAt: row.resolved_at ? iso(row.resolved_at) : null,
    updates: updates
      .filter((u) => u.incident_id === row.id)
      .map((u) => ({ status: u.status, message: u.message, at: iso(u.created_at) })),
  };
}

async function withUpdates(db: Database, rows: IncidentRow[]): Promise<IncidentJson[]> {
  if (!rows.length) return [];
  const updates = await db.kysely
    .selectFrom('incident_updates')
    .selectAll()
    .where(
      'incident_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => presentIncident(r, updates));
}

/**
 * Open incidents first (newest first), then incidents resolved after `since`; without `since`,
 * the newest `limit` incidents whatever their state (the staff view).
 */
export async function listIncidents(
  db: Database,
  options: { since?: Date; limit?: number } = {},
): Promise<IncidentJson[]> {
  let query = db.kysely.selectFrom('incidents').selectAll();
  const since = options.since;
  if (since)
    query = query.where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', since)]));
  const rows = await query
    .orderBy((eb) => eb.case().when('resolved_at', 'is', null).then(0).else(1).end())
    .orderBy('started_at', 'desc')
    .limit(options.limit ?? 100)
    .execute();
  return withUpdates(db, rows);
}

export async function loadIncident(db: Database, id: string): Promise<IncidentJson | undefined> {
  const row = await db.kysely.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await withUpdates(db, [row]))[0] : undefined;
}
