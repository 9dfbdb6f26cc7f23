/**
 * Run by sandbox.test.ts as another user: launches the pooled Chromium, renders a page and prints,
 * for each renderer, whether Chromium's seccomp-bpf filter holds it (`Seccomp: 2` in /proc) and
 * whether it was started with --no-sandbox.
 */
import { readFileSync } from 'node:fs';
import { closeBrowserPool, pooledBrowser, sandboxed } from '../../../src/scanner/browser/pool.ts';
import { chromiumOf } from './processes.ts';

const { browser } = await pooledBrowser({});
const context = await browser.newContext();
await (await context.newPage()).setContent('<p>hostile page</p>');
const renderers = chromiumOf(process.pid)
  .pids.map((pid) => {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
      const seccomp = /^Seccomp:\s*(\d)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      return { args, seccomp };
    } catch {
      return undefined;
    }
  })
  .filter((p) => p?.args.includes('--type=renderer'))
  .map((p) => ({ seccomp: Number(p!.seccomp), noSandbox: p!.args.includes('--no-sandbox') }));
await context.close();
await closeBrowserPool();
process.stdout.write(JSON.stringify({ uid: process.getuid?.(), sandboxed: sandboxed(), renderers }));
