import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.ts';
import { createTestDatabase, engines, type TestDatabase } from '../../helpers/engines.ts';
import { closedPort, startTestSite, type RunningSite } from '../../sites/site.ts';

describe.each(engines)('vioscan self-scan on %s', (engine) => {
  let site: RunningSite;
  let db: TestDatabase | undefined;
  let dir: string | undefined;

  beforeAll(async () => {
    site = await startTestSite({
      tls: false,
      routes: { '/': { body: '<!doctype html><title>instance</title>' } },
    });
  });
  afterAll(() => site.close());
  afterEach(async () => {
    await db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('scans BASE_URL now (loopback, ALLOW_PRIVATE_TARGETS off), then exits 1 when the next scan fails', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vioscan-self-scan-cli-'));
    // On PostgreSQL the CLI reaches the test schema; on PGlite it owns its own DATA_DIR.
    db = engine === 'postgres' ? await createTestDatabase(engine) : undefined;
    const env = {
      ...(db?.env ?? {}),
      DATA_DIR: path.join(dir, 'data'),
      APP_SECRET: 'e5'.repeat(32),
      BACKUP_KEY: 'd4'.repeat(32),
      BASE_URL: site.httpUrl!,
      ALLOW_PRIVATE_TARGETS: 'false',
      BROWSER_SCANS: 'false',
    };
    const first = await runCli(['self-scan'], env, 180_000);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(
      new RegExp(
        `^Self-scan of ${new URL(site.httpUrl!).origin.replace(/[.:/]/g, '\\$&')}: grade [A-F][+-]? \\(score \\d+\\)\\n`,
      ),
    );
    expect(first.stdout).toContain('No regression since the previous self-scan.');
    expect(first.code).toBe(0);
    expect(site.requests.some((r) => r.path === '/')).toBe(true);

    const port = await closedPort();
    const down = await runCli(
      ['self-scan', '--json'],
      { ...env, BASE_URL: `http://127.0.0.1:${port}` },
      180_000,
    );
    expect(down.code).toBe(1);
    const row = JSON.parse(down.stdout) as Record<string, unknown>;
    expect(row).toMatchObject({
      status: 'failed',
      grade: null,
      target: `http://127.0.0.1:${port}`,
      regressions: [expect.objectContaining({ kind: 'scan.failed', to: 'failed' })],
      delivery: { webhook: 'not configured', email: 'not configured' },
    });
  }, 400_000);
});
