import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.ts';
import {
  closedPort,
  FIXTURE_LOCKFILE,
  osvRecord,
  startFakeOsv,
  type FakeOsv,
} from '../../helpers/fake-osv.ts';

/** `vioscan deps audit`, the command CI runs (npm run audit:osv), against a loopback OSV. */
describe('vioscan deps audit', () => {
  let osv: FakeOsv;
  let highOnly: string;
  beforeAll(async () => {
    osv = await startFakeOsv([osvRecord('GHSA-xvch-5gv4-984h'), osvRecord('GHSA-35jh-r3h4-6jhm')]);
    highOnly = path.join(mkdtempSync(path.join(tmpdir(), 'vioscan-deps-')), 'package-lock.json');
    writeFileSync(
      highOnly,
      JSON.stringify({
        lockfileVersion: 3,
        packages: { '': { name: 'x' }, 'node_modules/lodash': { version: '4.17.20' } },
      }),
    );
  });
  afterAll(async () => osv?.close());

  it('fails (exit 1) on a known critical advisory and lists every advisory', async () => {
    const result = await runCli(['deps', 'audit', '--lockfile', FIXTURE_LOCKFILE], { OSV_URL: osv.url });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('CRITICAL GHSA-xvch-5gv4-984h minimist@1.2.5 (fixed in 1.2.6, 0.2.4)');
    expect(result.stdout).toContain('HIGH     GHSA-35jh-r3h4-6jhm lodash@4.17.20 (fixed in 4.17.21)');
    expect(result.stdout).toContain(
      `3 packages checked against ${osv.url}: 1 critical, 1 high, 0 medium, 0 low.`,
    );
    expect(result.stderr).toContain('1 critical advisory');
  });

  it('passes (exit 0) when no advisory is critical', async () => {
    const result = await runCli(['deps', 'audit', '--lockfile', highOnly], { OSV_URL: osv.url });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1 package checked');
    expect(result.stdout).toContain('GHSA-35jh-r3h4-6jhm');
  });

  it('says loudly that nothing was checked when OSV is unreachable, and does not fail the build', async () => {
    const down = await closedPort();
    const result = await runCli(['deps', 'audit', '--lockfile', FIXTURE_LOCKFILE], { OSV_URL: down });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('*** advisory source unreachable, not checked ***');
    expect(result.stderr).toContain('3 packages were NOT checked');
    expect(result.stdout).not.toContain('packages checked against');

    osv.failWith = 502;
    try {
      const failing = await runCli(['deps', 'audit', '--json', '--lockfile', FIXTURE_LOCKFILE], {
        OSV_URL: osv.url,
      });
      expect(failing.code).toBe(0);
      expect(JSON.parse(failing.stdout)).toMatchObject({
        ok: false,
        error: `${osv.url}/v1/querybatch answered 502`,
      });
      expect(failing.stderr).toContain('advisory source unreachable, not checked');
    } finally {
      osv.failWith = undefined;
    }
  });
});
