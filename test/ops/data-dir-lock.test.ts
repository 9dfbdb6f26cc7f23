import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirBusyError } from '../../src/ops/data-dir-lock.ts';
import { runCli } from '../helpers/cli.ts';
import { migrations } from '../../src/db/migrations/index.ts';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'vioscan-lock-'));

describe('DATA_DIR single-owner lock', () => {
  it('refuses a second owner and names the first', () => {
    const dir = tmp();
    const lock = acquireDataDirLock(dir, 'vioscan serve');
    expect(() => acquireDataDirLock(dir, 'vioscan migrate')).toThrow(DataDirBusyError);
    try {
      acquireDataDirLock(dir, 'vioscan migrate');
    } catch (error) {
      expect((error as Error).message).toContain(`in use by process ${process.pid} (vioscan serve`);
    }
    lock.release();
    expect(existsSync(path.join(dir, 'owner.lock'))).toBe(false);
    acquireDataDirLock(dir, 'vioscan migrate').release();
  });

  it('takes over a lock whose owner died', () => {
    const dir = tmp();
    const dead = spawn(process.execPath, ['-e', '0']);
    const pid = dead.pid!;
    return new Promise<void>((resolve) => {
      dead.on('exit', () => {
        writeFileSync(
          path.join(dir, 'owner.lock'),
          JSON.stringify({ pid, token: 'x', command: 'old', startedAt: 'then' }),
        );
        const lock = acquireDataDirLock(dir, 'vioscan serve');
        expect(JSON.parse(readFileSync(path.join(dir, 'owner.lock'), 'utf8')).pid).toBe(process.pid);
        lock.release();
        resolve();
      });
    });
  });

  it('a CLI command against a DATA_DIR owned by a running process stops with a clear message and changes nothing', async () => {
    const dir = tmp();
    const lock = acquireDataDirLock(dir, 'vioscan serve');
    const before = readFileSync(path.join(dir, 'owner.lock'), 'utf8');
    const result = await runCli(['migrate', 'status'], { DATA_DIR: dir });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`is in use by process ${process.pid} (vioscan serve`);
    expect(existsSync(path.join(dir, 'pgdata'))).toBe(false);
    expect(readFileSync(path.join(dir, 'owner.lock'), 'utf8')).toBe(before);
    lock.release();
  });

  it('migrate up then status work on a free DATA_DIR and release the lock', async () => {
    const dir = tmp();
    const up = await runCli(['migrate', 'up'], { DATA_DIR: dir });
    expect(up.stderr).toBe('');
    // A new DATA_DIR starts from the build's template (src/ops/pglite-template.ts), which carries
    // the migrations that existed at build time; a development checkout may have newer ones.
    expect(up.stdout).toMatch(/^(Already up to date\.|Applied: .+)$/m);
    const status = await runCli(['migrate', 'status'], { DATA_DIR: dir });
    for (const name of Object.keys(migrations))
      expect(status.stdout).toMatch(new RegExp(`^applied {2}${name}`, 'm'));
    expect(existsSync(path.join(dir, 'owner.lock'))).toBe(false);
  });
});
