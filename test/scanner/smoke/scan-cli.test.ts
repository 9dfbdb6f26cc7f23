/**
 * Smoke scans (STYLE §11): the real CLI against loopback test sites with the test CA.
 * Exit codes 0/1/2/3, every format, --header never echoed, plain failure reports.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { scan } from '../../../src/scanner/index.ts';
import { render, REPORT_FORMATS } from '../../../src/scanner/report/index.ts';
import { closedPort, startTestSite, type RunningSite } from '../../sites/site.ts';
import { disposeTestPki } from '../../sites/pki.ts';
import { GOOD_HEADERS, goodSite, runCli, SECRET } from './fixtures.ts';

let good: RunningSite;
let plain: RunningSite;
let echo: RunningSite;
let expired: RunningSite;
let tmp: string;
let ca: string;

beforeAll(async () => {
  good = await startTestSite(goodSite());
  plain = await startTestSite({ tls: false });
  // Echoes the secret header back in a header and the body: the CLI must still never print it.
  echo = await startTestSite({
    routes: {
      '*': (req) => ({
        headers: { ...GOOD_HEADERS, 'x-echo': String(req.headers['x-api-key'] ?? 'none') },
        body: `<html><body>you sent ${String(req.headers['x-api-key'])}</body></html>`,
      }),
    },
  });
  expired = await startTestSite({ tls: 'expired' });
  tmp = await mkdtemp(path.join(os.tmpdir(), 'vioscan-smoke-'));
  ca = good.pki.caFile;
});

afterAll(async () => {
  await Promise.all([good, plain, echo, expired].map((s) => s.close()));
  await rm(tmp, { recursive: true, force: true });
  await disposeTestPki();
});

const base = () => ['scan', '--allow-private', '--ca', ca, '--quiet'];

// Every case spawns the real CLI (a cold tsx start): give a loaded CI machine room.
vi.setConfig({ testTimeout: 120_000 });

describe('exit codes', () => {
  it('0 when nothing reaches --fail-on', async () => {
    const r = await runCli([...base(), good.url, '--fail-on', 'high']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`VIOscan report for ${good.url}`);
  });

  it('1 when a finding is at or above --fail-on (plain http is critical)', async () => {
    const r = await runCli([...base(), plain.url, '--fail-on', 'critical', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { severity: string; checkId: string }[] };
    expect(report.findings.some((f) => f.severity === 'critical' && f.checkId === 'https')).toBe(true);
  });

  it('0 without --fail-on even with findings', async () => {
    const r = await runCli([...base(), plain.url]);
    expect(r.code).toBe(0);
  });

  it.each([
    [['scan'], 'give at least one URL'],
    [['scan', 'https://a.example/', '--format', 'pdf'], "argument 'pdf' is invalid"],
    [['scan', 'ftp://a.example/'], 'scheme ftp: is not allowed'],
    [['scan', 'http://a.example/', '--header', 'X-Api-Key: k'], 'only sent over https'],
    [['scan', 'https://a.example/', 'https://b.example/', '--format', 'html'], 'one report'],
    [['scan', 'https://a.example/', '--pages', '2.5'], '--pages expects a whole number between 0 and 50'],
    [['scan', 'https://a.example/', '--pages', '51'], '--pages expects a whole number between 0 and 50'],
    [['scan', 'https://a.example/', '--dns-server', 'dns.example'], '--dns-server expects an IP address'],
  ])('2 for usage errors: %j', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });

  it('3 with a plain report when the port is closed', async () => {
    const port = await closedPort();
    const r = await runCli([...base(), `https://127.0.0.1:${port}/`]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(`Not graded: The scan could not reach https://127.0.0.1:${port}/`);
    expect(r.stdout).toContain(`connection to 127.0.0.1:${port} refused`);
    expect(r.stdout).not.toMatch(/Grade F|No findings/);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
  });

  it('3 and "target not allowed" for loopback without --allow-private', async () => {
    const r = await runCli(['scan', '--quiet', good.url]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('target not allowed: loopback address 127.0.0.1');
  });

  it('ALLOW_PRIVATE_TARGETS=true opts in like --allow-private', async () => {
    const r = await runCli(['scan', '--quiet', '--ca', ca, good.url], {
      env: { ALLOW_PRIVATE_TARGETS: 'true' },
    });
    expect(r.code).toBe(0);
  });

  it('an expired certificate is a finding, not a failed scan: graded, capped at F, exit 1 at --fail-on critical', async () => {
    const r = await runCli([...base(), expired.url, '--format', 'json', '--fail-on', 'critical']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as {
      grade: string;
      error?: unknown;
      gradeCap?: { grade: string; outcomes: string[] };
      findings: { outcome: string }[];
    };
    expect(report.error).toBeUndefined();
    expect(report.grade).toBe('F');
    expect(report.gradeCap).toEqual({ grade: 'F', outcomes: ['certificate-expired'] });
    expect(report.findings.map((f) => f.outcome)).toContain('certificate-expired');
  });
});

describe('formats', () => {
  it.each([
    ['json', (out: string) => expect((JSON.parse(out) as { schemaVersion: number }).schemaVersion).toBe(1)],
    ['sarif', (out: string) => expect((JSON.parse(out) as { version: string }).version).toBe('2.1.0')],
    ['md', (out: string) => expect(out).toMatch(/^#/)],
    ['html', (out: string) => expect(out.toLowerCase()).toContain('<!doctype html>')],
    ['text', (out: string) => expect(out).toContain('Grade')],
  ])('%s', async (format, check) => {
    const r = await runCli([...base(), good.url, '--format', format]);
    expect(r.code).toBe(0);
    check(r.stdout);
  });

  it('many URLs run together: one JSON array in argument order, one plain progress line each', async () => {
    const file = path.join(tmp, 'many.json');
    const r = await runCli([
      'scan',
      '--allow-private',
      '--ca',
      ca,
      good.url,
      plain.url,
      '--format',
      'json',
      '-o',
      file,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const reports = JSON.parse(await readFile(file, 'utf8')) as { target: string }[];
    expect(reports.map((x) => x.target)).toEqual([good.url, plain.url]);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).toMatch(
        /^vioscan: scanned https?:\/\/127\.0\.0\.1:\d+\/: grade [A-F][+-]?, \d+ findings?/,
      );
    }
  });
});

describe('--header', () => {
  it('is sent to the site but never appears in the output or the saved artefacts', async () => {
    const dir = path.join(tmp, 'secret-artefacts');
    const r = await runCli([
      ...base(),
      echo.url,
      '-H',
      `X-Api-Key: ${SECRET}`,
      '--format',
      'json',
      '--save-artifacts',
      dir,
    ]);
    expect(r.code).toBe(0);
    expect(echo.requests.some((q) => q.headers['x-api-key'] === SECRET)).toBe(true);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    const saved = await readdir(dir);
    expect(saved).toHaveLength(1);
    const text = await readFile(path.join(dir, saved[0]!), 'utf8');
    expect(text).not.toContain(SECRET);
    expect(text).toContain('you sent [redacted]');
  });

  it('never reaches any report format, even when the site echoes it', async () => {
    const { report, artefacts } = await scan(echo.url, {
      allowPrivate: true,
      ca: [good.pki.caPem],
      headers: { 'x-api-key': SECRET },
    });
    expect(artefacts.page.final?.headers['x-echo']).toEqual(['[redacted]']);
    for (const format of REPORT_FORMATS) expect(render(report, format), format).not.toContain(SECRET);
  });
});

describe('artefacts and suppressions', () => {
  it('--from-artifacts replays a saved scan to the identical report without fetching', async () => {
    const dir = path.join(tmp, 'replay');
    const live = await runCli([...base(), plain.url, '--format', 'json', '--save-artifacts', dir]);
    const before = plain.requests.length;
    const replayed = await runCli(['scan', '--quiet', '--from-artifacts', dir, '--format', 'json']);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toBe(live.stdout);
    expect(plain.requests.length).toBe(before);
  });

  it('accepts a suppressed finding (shown as accepted) and warns about an expired one', async () => {
    const file = path.join(tmp, 'suppressions.yml');
    const host = new URL(plain.url).host;
    await writeFile(
      file,
      [
        'suppressions:',
        `  - { check: https, target: "${host}", reason: "internal test site", expires: "2999-01-01" }`,
        `  - { check: hsts, target: "${plain.url}", reason: "old", expires: "2000-01-01" }`,
      ].join('\n'),
    );
    const r = await runCli([
      ...base(),
      plain.url,
      '--fail-on',
      'critical',
      '--suppressions',
      file,
      '--format',
      'json',
    ]);
    const report = JSON.parse(r.stdout) as { findings: { checkId: string; accepted?: { reason: string } }[] };
    expect(report.findings.find((f) => f.checkId === 'https')?.accepted?.reason).toBe('internal test site');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('suppression of hsts');
    expect(r.stderr).toContain('expired on 2000-01-01; ignored');
  });

  it('reads .vioscan.yml from the working directory by default', async () => {
    const cwd = await mkdtemp(path.join(tmp, 'cwd-'));
    await writeFile(path.join(cwd, '.vioscan.yml'), 'suppressions: [ { check: https } ]\n');
    const r = await runCli([...base(), plain.url], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('.vioscan.yml');
  });
});
