/**
 * Chromium's process group, found and ended from Linux's /proc so that its profile can be removed
 * at exit without a dying browser writing into it again. Playwright starts the browser `detached`,
 * so the browser process leads a group of its own (renderers, GPU, the network service that writes
 * cookies to the profile). Where there is no /proc, nothing is found and nothing waits.
 */
import { readFileSync, readdirSync } from 'node:fs';

function numericEntries(): number[] {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return [];
  }
}

/** [state, ppid, pgid] from /proc/<pid>/stat (comm, in parentheses, may hold spaces). */
function stat(pid: number): [string, number, number] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid, pgid] = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return [state!, Number(ppid), Number(pgid)];
  } catch {
    return undefined;
  }
}

function runsOn(pid: number, profile: string): boolean {
  if (stat(pid)?.[1] !== process.pid) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(`--user-data-dir=${profile}`);
  } catch {
    return false; // gone meanwhile
  }
}

/** The pid of this process's child browser that runs on `profile`, or undefined. */
export function browserProcessOn(profile: string): number | undefined {
  return numericEntries().find((pid) => runsOn(pid, profile));
}

function groupAlive(pgid: number): boolean {
  return numericEntries().some((pid) => {
    const s = stat(pid);
    return s !== undefined && s[2] === pgid && s[0] !== 'Z' && s[0] !== 'X';
  });
}

/**
 * SIGKILLs the group that the browser `pgid` leads and waits, synchronously (it runs in exit
 * handlers), until none of its processes runs any more, for at most `limitMs`. Nothing is killed
 * unless `pgid` is still that browser: a pid freed by a browser that died earlier may be reused.
 */
export function killGroupAndWait(pgid: number, profile: string, limitMs = 2000): void {
  if (!runsOn(pgid, profile)) return;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    return;
  }
  const tick = new Int32Array(new SharedArrayBuffer(4));
  const end = Date.now() + limitMs;
  while (groupAlive(pgid) && Date.now() < end) Atomics.wait(tick, 0, 0, 10);
}
