/**
 * Backup and restore time for a generated dataset on both engines (not a timed test).
 * BENCH_ROWS (default 200000) rows of finding-like data; PostgreSQL from TEST_DATABASE_URL.
 * The restore figure is a full drill: verify, decrypt, restore into a scratch database, check counts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { createBackup, runDrill } from '../src/ops/backup/index.ts';
import { createTestDatabase, engines, TEST_DATABASE_URL } from '../test/helpers/engines.ts';

const rows = Math.min(Number(process.env.BENCH_ROWS ?? 200_000), 2_000_000);
const key = 'c3'.repeat(32);

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

console.log(`backup benchmark: ${rows} generated rows per engine`);
for (const engine of engines) {
  const db = await createTestDatabase(engine);
  const dir = await mkdtemp(path.join(tmpdir(), 'vioscan-bench-backup-'));
  try {
    await sql`create table bench_findings (
      id integer primary key, site text not null, severity text not null,
      title text not null, evidence text not null, created_at timestamptz not null)`.execute(db.kysely);
    await sql`insert into bench_findings
      select i, 'https://site-' || (i % 500) || '.example', (array['critical','high','medium','low'])[1 + i % 4],
             'Finding ' || i, repeat(md5(i::text), 4), now() - make_interval(secs => i)
        from generate_series(1, ${rows}) as i`.execute(db.kysely);
    const options = {
      db,
      databaseUrl: engine === 'postgres' ? TEST_DATABASE_URL : undefined,
      backupDir: path.join(dir, 'backups'),
      backupKey: key,
    };
    const started = performance.now();
    const manifest = await createBackup(options);
    const backupSeconds = (performance.now() - started) / 1000;
    const drill = await runDrill(options);
    if (!drill.ok) throw new Error(`drill failed: ${drill.error ?? JSON.stringify(drill.checks)}`);
    console.log(
      `${engine.padEnd(8)}  backup ${backupSeconds.toFixed(2)} s (${mib(manifest.ciphertext.bytes)} encrypted, ` +
        `${mib(manifest.plaintext.bytes)} dump)  restore+verify (drill RTO) ${drill.rtoSeconds.toFixed(2)} s  ` +
        `rows ${manifest.rowCounts.bench_findings}`,
    );
  } finally {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}
