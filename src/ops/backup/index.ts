/** Encrypted backups, verified restores and measured restore drills on both engines. */
export { backupOptions, createBackup, pruneBackups, type BackupOptions } from './create.ts';
export { drillChecks, runDrill, type DrillResult } from './drill.ts';
export type { DrillCheck, RestoredCopy } from './inspect.ts';
export { BackupError, type BackupErrorCode } from './errors.ts';
export { backupAlerts, backupHealth, reportBackupHealth, type BackupHealth } from './health.ts';
export { listManifests, readManifest, type BackupManifest } from './manifest.ts';
export { restoreBackup, type RestoreOptions, type RestoreTarget } from './restore.ts';
export { DEFAULT_RETENTION, retain, type RetentionPolicy } from './retention.ts';
