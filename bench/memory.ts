/** Memory of a process tree from /proc (Linux), shared by the browser benchmarks. */
import { readdirSync, readFileSync } from 'node:fs';

/** Memory of a process: its proportional set size (shared pages split between the Chromium processes
 *  sharing them, so the sum is not inflated), or its RSS where smaps_rollup is not readable. */
function memoryOf(pid: number, rssPages: number): number {
  try {
    const pss = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    if (pss) return Number(pss[1]) * 1024;
  } catch {
    // not ours to read, or gone
  }
  return rssPages * 4096;
}

/** Memory in bytes of a process and all its descendants (node plus its Chromium). */
export function treeRss(root: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(entry);
      const ppid = Number(fields[1]);
      rss.set(pid, Number(fields[21]));
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  const todo = [root];
  while (todo.length > 0) {
    const pid = todo.pop()!;
    if (rss.has(pid)) total += memoryOf(pid, rss.get(pid)!);
    todo.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** The machine's CPU time so far (all cores), busy and total, in clock ticks (/proc/stat). */
export function cpuTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const idleAll = idle! + iowait!;
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy, total: busy + idleAll };
}
