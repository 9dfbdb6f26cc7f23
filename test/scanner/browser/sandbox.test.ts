/**
 * Chromium's sandbox around the renderers of scanned (hostile) pages. Playwright adds --no-sandbox
 * unless asked not to, so a scanner running as an ordinary user would have rendered every page
 * unsandboxed; root is the one case Chromium itself refuses the sandbox.
 */
import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 90_000 });

const NOBODY = 65534;
const root = fileURLToPath(new URL('../../..', import.meta.url));
const child = fileURLToPath(new URL('./sandbox-child.ts', import.meta.url));

interface Seen {
  uid: number;
  sandboxed: boolean;
  renderers: { seccomp: number; noSandbox: boolean }[];
}

async function launchAs(uid: number | undefined, home: string): Promise<Seen> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', child], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: home, TMPDIR: home },
    ...(uid !== undefined && { uid, gid: uid }),
    timeout: 80_000,
  });
  return JSON.parse(stdout) as Seen;
}

describe('Chromium sandbox', () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'vioscan-sandbox-'));
  chownSync(home, NOBODY, NOBODY);
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('holds every renderer in seccomp-bpf when the scanner is not root', async () => {
    const seen = await launchAs(NOBODY, home);
    expect(seen.uid).toBe(NOBODY);
    expect(seen.sandboxed).toBe(true);
    expect(seen.renderers.length).toBeGreaterThan(0);
    for (const renderer of seen.renderers) {
      expect(renderer).toEqual({ seccomp: 2, noSandbox: false });
    }
  });

  it('runs without it only as root, which Chromium does not sandbox', async () => {
    expect(process.getuid?.()).toBe(0);
    const seen = await launchAs(undefined, home);
    expect(seen.sandboxed).toBe(false);
    expect(seen.renderers.length).toBeGreaterThan(0);
    for (const renderer of seen.renderers) expect(renderer.noSandbox).toBe(true);
  });
});
