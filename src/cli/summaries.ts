/**
 * One line per command, read by each command's module and by the full `vioscan --help`, which
 * lists the commands without loading them (start-up time: bench/cli.ts).
 */
export const COMMAND_SUMMARIES = {
  serve: 'run the service: a supervisor that keeps web (and job) processes alive',
  worker: 'run a job worker: consumes queues (scans, housekeeping, …) and installs cron schedules',
  migrate: 'database migrations and the application role',
  admin: 'staff access management (audited)',
  scan: 'scan websites for security and privacy problems (no account needed)',
  audit: 'tamper-evident audit log',
  keys: 'application-level encryption keys',
  backup: 'encrypted backups, restores and restore drills',
  rules: 'tracker lists (EasyPrivacy, EasyList) and the owner map',
  deps: 'dependency advisories: the locked production dependencies against the OSV database',
  'self-scan': 'scan this instance’s own BASE_URL now, store the grade and alert staff on a regression',
} as const;
