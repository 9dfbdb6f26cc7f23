import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/kysely.ts';
import { migrationStatus } from '../../src/db/migrate.ts';
import { migrations } from '../../src/db/migrations/index.ts';
import { buildPgliteTemplate, copyPgliteTemplate } from '../../src/ops/pglite-template.ts';

describe('the embedded database template', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'vioscan-template-'));
  const template = path.join(root, 'template');

  beforeAll(() => buildPgliteTemplate(template), 180_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('starts a new data directory with every migration applied and the job queues in place', async () => {
    const dir = path.join(root, 'fresh', 'pgdata');
    expect(copyPgliteTemplate(dir, 'public', template)).toBe(true);
    const db = await openDatabase({ pgliteDir: dir });
    try {
      const status = await migrationStatus(db);
      expect(status.map((m) => [m.name, m.applied])).toEqual(Object.keys(migrations).map((n) => [n, true]));
      const queues = await sql<{ name: string }>`select name from pgboss.queue order by name`.execute(
        db.kysely,
      );
      expect(queues.rows.map((r) => r.name)).toContain('scan');
      // The copy is a database of its own: a write here does not reach the template.
      await sql`insert into audit_chain_head (id, seq, hash) values (2, 0, ${'1'.repeat(64)})`.execute(
        db.kysely,
      );
    } finally {
      await db.close();
    }
    expect(copyPgliteTemplate(path.join(root, 'again', 'pgdata'), 'public', template)).toBe(true);
    const again = await openDatabase({ pgliteDir: path.join(root, 'again', 'pgdata') });
    try {
      const rows = await sql<{ id: number }>`select id from audit_chain_head`.execute(again.kysely);
      expect(rows.rows).toEqual([{ id: 1 }]);
    } finally {
      await again.close();
    }
  });

  it('never touches a directory that already holds a cluster', () => {
    const dir = path.join(root, 'existing');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'PG_VERSION'), 'mine\n');
    expect(copyPgliteTemplate(dir, 'public', template)).toBe(false);
    expect(readFileSync(path.join(dir, 'PG_VERSION'), 'utf8')).toBe('mine\n');
  });

  it('is not used for another schema, another PGlite or when it was never built', () => {
    expect(copyPgliteTemplate(path.join(root, 'other-schema'), 'tenant_a', template)).toBe(false);
    expect(existsSync(path.join(root, 'other-schema'))).toBe(false);
    const meta = `${template}.json`;
    const original = readFileSync(meta, 'utf8');
    writeFileSync(meta, JSON.stringify({ ...JSON.parse(original), pglite: '0.0.1' }));
    try {
      expect(copyPgliteTemplate(path.join(root, 'old-pglite'), 'public', template)).toBe(false);
    } finally {
      writeFileSync(meta, original);
    }
    expect(copyPgliteTemplate(path.join(root, 'none'), 'public', path.join(root, 'missing'))).toBe(false);
  });
});
