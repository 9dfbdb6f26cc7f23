/**
 * What a process leaves behind, read from Linux's /proc: its Chromium (the child process group
 * Playwright starts, `detached`, so the browser leads its own group), the TCP ports it listens on
 * (the guarded proxies) and whether a pid still runs (a zombie counts as gone).
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import net from 'node:net';

interface Stat {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  comm: string;
}

function stat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may hold spaces; the fields after it are space-separated.
    const close = text.lastIndexOf(')');
    const [state, ppid, pgid] = text.slice(close + 2).split(' ');
    return {
      pid,
      ppid: Number(ppid),
      pgid: Number(pgid),
      state: state!,
      comm: text.slice(text.indexOf('(') + 1, close),
    };
  } catch {
    return undefined;
  }
}

function allProcesses(): Stat[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => stat(Number(name)))
    .filter((s): s is Stat => s !== undefined);
}

/** Every process of the Chromium that `parent` started: the group its browser process leads. */
export function chromiumOf(parent: number): { pids: number[]; profile?: string } {
  const processes = allProcesses();
  const browser = processes.find((p) => p.ppid === parent && p.comm.startsWith('chromium'));
  if (!browser) return { pids: [] };
  const cmdline = readFileSync(`/proc/${browser.pid}/cmdline`, 'utf8').split('\0');
  const profile = cmdline.find((a) => a.startsWith('--user-data-dir='))?.slice('--user-data-dir='.length);
  return {
    pids: processes.filter((p) => p.pgid === browser.pid).map((p) => p.pid),
    ...(profile && { profile }),
  };
}

/** Still running (a zombie waiting to be reaped is not). */
export function isAlive(pid: number): boolean {
  const s = stat(pid);
  return s !== undefined && s.state !== 'Z' && s.state !== 'X';
}

/** The TCP ports `pid` listens on, IPv4 and IPv6. */
export function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is f[1] (ADDR:PORT in hex), st is f[3] (0A = LISTEN), inode is f[9].
      if (f[3] === '0A' && inodes.has(f[9]!)) ports.add(parseInt(f[1]!.split(':')[1]!, 16));
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/** Whether something accepts connections on 127.0.0.1:port. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
