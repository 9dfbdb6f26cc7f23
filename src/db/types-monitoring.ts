import type { ColumnType, Generated } from 'kysely';

export type ProbeStatus = 'ok' | 'degraded' | 'down';
export type IncidentImpact = 'minor' | 'major' | 'critical';
export type IncidentStatus = 'investigating' | 'identified' | 'monitoring' | 'resolved';

/** One probe result per component per monitor run: the status page's uptime history. */
export interface HealthProbeTable {
  id: Generated<string>;
  component: string;
  status: ProbeStatus;
  detail: Generated<string>;
  checked_at: ColumnType<Date, Date | string | undefined, never>;
}

/** Written by every job worker process on a timer; the monitor flags silent ones. */
export interface WorkerHeartbeatTable {
  worker_id: string;
  role: string;
  hostname: string;
  pid: number;
  started_at: ColumnType<Date, Date | string | undefined, Date | string>;
  beat_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface IncidentTable {
  id: Generated<string>;
  title: string;
  impact: IncidentImpact;
  status: IncidentStatus;
  components: ColumnType<string[], string | undefined, string>;
  created_by: string | null;
  started_at: ColumnType<Date, Date | string | undefined, Date | string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  resolved_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface IncidentUpdateTable {
  id: Generated<string>;
  incident_id: string;
  status: IncidentStatus;
  message: string;
  created_by: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

/** One run of the dependency advisory check (src/jobs/dependency-audit.ts); `ok` false: OSV did not answer. */
export interface DependencyCheckTable {
  id: Generated<string>;
  checked_at: ColumnType<Date, Date | string | undefined, never>;
  ok: boolean;
  source: string;
  packages: number;
  advisories: Generated<number>;
  error: string | null;
}

/** An advisory affecting a locked package version: open until a check no longer finds it. */
export interface DependencyAdvisoryTable {
  id: Generated<string>;
  advisory_id: string;
  package: string;
  version: string;
  severity: 'critical' | 'high' | 'medium' | 'low';
  severity_source: string;
  score: number | null;
  summary: Generated<string>;
  aliases: ColumnType<string[], string | undefined, string>;
  fixed_in: ColumnType<string[], string | undefined, string>;
  first_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
  due_at: ColumnType<Date, Date | string, Date | string>;
  resolved_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** Finding counts by severity (src/scanner/severity.ts). */
export type SeverityCounts = Partial<Record<'critical' | 'high' | 'medium' | 'low' | 'info', number>>;

/** A high or critical finding of a self-scan: `checkId:outcome` and its title. */
export interface SeriousFinding {
  key: string;
  severity: 'critical' | 'high';
  title: string;
}

/** What made a self-scan a regression (src/modules/self-scan/regression.ts). */
export interface SelfScanRegression {
  kind: 'grade.dropped' | 'finding.new' | 'scan.failed';
  /** Grade before and after; `none` → a new finding's severity; the last grade → `failed`. */
  from: string | null;
  to: string;
  detail: string;
}

/** One scan of the instance's own BASE_URL (src/modules/self-scan). */
export interface SelfScanTable {
  id: Generated<string>;
  target: string;
  status: 'succeeded' | 'failed';
  grade: string | null;
  score: number | null;
  counts: ColumnType<SeverityCounts, string | undefined, string>;
  serious: ColumnType<SeriousFinding[], string | undefined, string>;
  browser: Generated<boolean>;
  error_code: string | null;
  error_message: string | null;
  regressions: ColumnType<SelfScanRegression[], string | undefined, string>;
  started_at: ColumnType<Date, Date | string, never>;
  finished_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface MonitoringTables {
  self_scans: SelfScanTable;
  health_probes: HealthProbeTable;
  worker_heartbeats: WorkerHeartbeatTable;
  incidents: IncidentTable;
  incident_updates: IncidentUpdateTable;
  dependency_checks: DependencyCheckTable;
  dependency_advisories: DependencyAdvisoryTable;
}
