import type { ColumnType, Generated } from 'kysely';

/** One row per backup written, holding its manifest; BACKUP_DIR stays the source of truth for restores. */
export interface BackupTable {
  id: string;
  created_at: ColumnType<Date, Date | string, never>;
  engine: string;
  /** bigint: pg returns it as a string. */
  size_bytes: ColumnType<string | number, number, never>;
  migration: string | null;
  manifest: ColumnType<unknown, string, never>;
  removed_at: ColumnType<Date | null, never, Date | string | null>;
}

export interface BackupDrillTable {
  id: Generated<number>;
  backup_id: string | null;
  started_at: ColumnType<Date, Date | string, never>;
  finished_at: ColumnType<Date, Date | string | undefined, never>;
  ok: boolean;
  rto_seconds: number;
  checks: ColumnType<unknown, string, never>;
  error: string | null;
}

export interface BackupTables {
  backups: BackupTable;
  backup_drills: BackupDrillTable;
}
