import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * PGlite is a single-process database: two processes opening the same files corrupt them.
 * The first process to start takes DATA_DIR/owner.lock (created atomically with O_EXCL);
 * any other stops with a message naming the owner. Children of the owner (the supervised
 * server process) inherit the lock through VIOSCAN_DATA_DIR_LOCK.
 */
export const LOCK_ENV = 'VIOSCAN_DATA_DIR_LOCK';

export interface LockOwner {
  pid: number;
  token: string;
  command: string;
  startedAt: string;
}

export class DataDirBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by process ${owner.pid} (${owner.command}, started ${owner.startedAt}). ` +
        'Only one process may open it: stop that process first, or use PostgreSQL (DATABASE_URL) to run several processes.',
    );
    this.name = 'DataDirBusyError';
  }
}

export interface DataDirLock {
  token: string;
  release(): void;
}

function lockFile(dataDir: string): string {
  return path.join(dataDir, 'owner.lock');
}

function readOwner(file: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireDataDirLock(
  dataDir: string,
  command: string,
  env: NodeJS.ProcessEnv = process.env,
): DataDirLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = lockFile(dataDir);
  const inherited = env[LOCK_ENV];
  if (inherited) {
    const owner = readOwner(file);
    if (owner?.token === inherited && owner.pid === process.ppid)
      return { token: inherited, release: () => {} };
  }
  const owner: LockOwner = {
    pid: process.pid,
    token: randomBytes(16).toString('hex'),
    command,
    startedAt: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(owner), { flag: 'wx', mode: 0o600 });
      return {
        token: owner.token,
        release: () => {
          if (readOwner(file)?.token === owner.token) rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const current = readOwner(file);
      if (current && alive(current.pid)) throw new DataDirBusyError(dataDir, current);
      // The owner died without cleaning up (kill -9, power loss): take the stale lock aside atomically.
      // If another starter replaced it meanwhile, we moved a live lock: put it back and give way.
      const aside = `${file}.${process.pid}.stale`;
      try {
        renameSync(file, aside);
      } catch {
        continue;
      }
      const moved = readOwner(aside);
      if (current && moved?.token !== current.token && moved && alive(moved.pid)) {
        try {
          linkSync(aside, file);
        } finally {
          rmSync(aside, { force: true });
        }
        throw new DataDirBusyError(dataDir, moved);
      }
      rmSync(aside, { force: true });
    }
  }
  const current = readOwner(file);
  throw new DataDirBusyError(
    dataDir,
    current ?? { pid: -1, token: '', command: 'unknown', startedAt: 'unknown' },
  );
}
