import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.ts';
import { createTestDatabase, engines, type TestDatabase } from '../../helpers/engines.ts';

const KEY = 'd4'.repeat(32);

describe.each(engines)('vioscan backup CLI on %s', (engine) => {
  let db: TestDatabase | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('create, list, then restore over the same (non-empty) database: refused with exit code 3', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vioscan-backup-cli-'));
    // On PostgreSQL the CLI reaches the test schema; on PGlite it owns its own DATA_DIR.
    db = engine === 'postgres' ? await createTestDatabase(engine) : undefined;
    const env = {
      ...(db?.env ?? {}),
      DATA_DIR: path.join(dir, 'data'),
      BACKUP_DIR: path.join(dir, 'backups'),
      BACKUP_KEY: KEY,
      APP_SECRET: 'e5'.repeat(32),
    };
    const created = await runCli(['backup', 'create'], env, 180_000);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const id = /Created backup (\S+)/.exec(created.stdout)?.[1];
    expect(id).toMatch(/^\d{8}T\d{9}Z-[0-9a-f]{8}$/);

    const listed = await runCli(['backup', 'list'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${id}  `);
    expect(listed.stdout).not.toContain(KEY);

    const refused = await runCli(['backup', 'restore', id!], env, 180_000);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(
      new RegExp(
        `^vioscan: Refusing to restore backup ${id}: .* is not empty, it holds .*backups \\(1 row\\).*--force`,
      ),
    );
  }, 400_000);
});
