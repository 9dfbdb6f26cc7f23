/**
 * The exit handler's tools (src/scanner/browser/process-group.ts), on a stand-in for Chromium: a
 * detached child (so it leads its own process group, as Playwright starts the browser) with a
 * grandchild in that group, both named by their `--user-data-dir`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { browserProcessOn, killGroupAndWait } from '../../../src/scanner/browser/process-group.ts';
import { waitFor } from '../../helpers/wait.ts';
import { isAlive } from './processes.ts';

const started: ChildProcess[] = [];

/** A group leader that starts one more process in its group, and prints that one's pid. */
async function fakeBrowser(profile: string): Promise<{ leader: number; helper: number }> {
  const script = `
    const { spawn } = require('node:child_process');
    const helper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    console.log(helper.pid);
    setTimeout(() => {}, 60000);`;
  const child = spawn(process.execPath, ['-e', script, '--', `--user-data-dir=${profile}`], {
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  started.push(child);
  const helper = await new Promise<number>((resolve) =>
    child.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim()))),
  );
  return { leader: child.pid!, helper };
}

afterEach(() => {
  for (const child of started.splice(0)) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

describe('process-group', () => {
  it('finds the child running on a profile, and kills its whole group and waits for it', async () => {
    const browser = await fakeBrowser('/tmp/vioscan-chromium-test-a');
    const other = await fakeBrowser('/tmp/vioscan-chromium-test-b');
    expect(browserProcessOn('/tmp/vioscan-chromium-test-a')).toBe(browser.leader);
    expect(browserProcessOn('/tmp/vioscan-chromium-test-b')).toBe(other.leader);
    expect(browserProcessOn('/tmp/vioscan-chromium-test-c')).toBeUndefined();

    killGroupAndWait(browser.leader, '/tmp/vioscan-chromium-test-a');
    // Reaped by this process's event loop soon after; until then a zombie counts as gone.
    expect(isAlive(browser.leader)).toBe(false);
    expect(isAlive(browser.helper)).toBe(false);
    expect(isAlive(other.leader)).toBe(true);
    expect(isAlive(other.helper)).toBe(true);
  });

  it('kills nothing when the pid no longer runs that profile (a reused pid)', async () => {
    const browser = await fakeBrowser('/tmp/vioscan-chromium-test-d');
    killGroupAndWait(browser.leader, '/tmp/vioscan-chromium-test-elsewhere');
    expect(isAlive(browser.leader)).toBe(true);
    expect(isAlive(browser.helper)).toBe(true);
    killGroupAndWait(browser.leader, '/tmp/vioscan-chromium-test-d');
    await waitFor(async () => (isAlive(browser.helper) ? undefined : true), 5000);
    expect(isAlive(browser.leader)).toBe(false);
  });
});
