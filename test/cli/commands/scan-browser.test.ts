/** `vioscan scan --browser` in-process: its flags, the Chromium check, progress lines and exit codes. */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserFlags,
  checkChromium,
  ChromiumMissingError,
  prepareEvidence,
} from '../../../src/cli/commands/scan-browser.ts';
import { exitCodeFor, Progress } from '../../../src/cli/commands/scan-output.ts';
import { UsageError } from '../../../src/cli/usage-error.ts';
import { loadSavedScan, saveArtefacts } from '../../../src/scanner/artefact-store.ts';
import { replay } from '../../../src/scanner/index.ts';
import type { Report } from '../../../src/scanner/types.ts';
import { addAnalytics, inVisit } from '../../scanner/helpers/browser-artefacts.ts';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'vioscan-browser-flags-'));
});
afterAll(async () => rm(tmp, { recursive: true, force: true }));

describe('browser flags', () => {
  it.each([
    [{ browser: true }, {}],
    [{ browser: true, browserVisits: 'none' }, { visits: ['none'] }],
    [{ browser: true, browserVisits: ' GPC, none ,none' }, { visits: ['none', 'gpc'] }],
    [{ browser: true, evidence: 'ev' }, { evidence: 'ev' }],
    [{}, undefined],
  ])('%j → %j', (flags, expected) => {
    expect(browserFlags(flags)).toEqual(expected);
  });

  it.each([
    [{ browserVisits: 'none' }, '--browser-visits needs --browser'],
    [{ evidence: 'dir' }, '--evidence needs --browser'],
    [
      { browser: true, browserVisits: 'none,accept' },
      '--browser-visits expects a comma-separated list of none, reject, gpc (got "accept")',
    ],
    [
      { browser: true, browserVisits: '' },
      '--browser-visits expects a comma-separated list of none, reject, gpc (got "")',
    ],
    [{ browser: true, evidence: ' ' }, '--evidence expects a directory'],
    [{ browser: true, fromArtifacts: 'saved' }, '--browser cannot be combined with --from-artifacts'],
  ])('%j is a usage error', (flags, message) => {
    expect(() => browserFlags(flags)).toThrow(UsageError);
    expect(() => browserFlags(flags)).toThrow(message);
  });

  it('--evidence: the directory is created, or the usage error names it', async () => {
    const dir = path.join(tmp, 'a', 'b');
    await prepareEvidence(dir);
    await writeFile(path.join(dir, 'probe'), 'x');
    const file = path.join(tmp, 'plain-file');
    await writeFile(file, 'x');
    await expect(prepareEvidence(path.join(file, 'sub'))).rejects.toThrow(
      `--evidence ${path.join(file, 'sub')}: cannot create the directory (ENOTDIR)`,
    );
  });
});

describe('checkChromium', () => {
  it('accepts an executable CHROMIUM_PATH and returns it for the browser stage', async () => {
    const fake = path.join(tmp, 'chromium');
    await writeFile(fake, '#!/bin/sh\n');
    await chmod(fake, 0o755);
    expect(await checkChromium({ CHROMIUM_PATH: fake })).toBe(fake);
  });

  it('says where it looked and how to install, naming CHROMIUM_PATH when it was set', async () => {
    const missing = path.join(tmp, 'no-such-chromium');
    const error = await checkChromium({ CHROMIUM_PATH: missing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChromiumMissingError);
    expect((error as Error).message).toBe(
      `--browser needs Chromium, and there is no executable at ${missing} (CHROMIUM_PATH). Install it — ` +
        'on Debian: sudo apt-get install chromium — or set CHROMIUM_PATH to a Chromium or Chrome executable (docs/privacy-scan.md).',
    );
  });

  it('a file that is not executable is not a browser', async () => {
    const file = path.join(tmp, 'not-executable');
    await writeFile(file, 'x');
    await chmod(file, 0o644);
    await expect(checkChromium({ CHROMIUM_PATH: file })).rejects.toThrow(ChromiumMissingError);
  });

  it('without CHROMIUM_PATH checks Debian’s /usr/bin/chromium and leaves the choice of binary to the stage', async () => {
    // This machine has Debian's chromium installed (the browser tests need it).
    expect(await checkChromium({})).toBeUndefined();
  });
});

describe('progress and exit codes', () => {
  const capture = () => {
    const stream = new PassThrough() as PassThrough & NodeJS.WriteStream;
    let out = '';
    stream.on('data', (d: Buffer) => (out += d.toString()));
    return { stream, text: () => out };
  };

  it('prints the browser stage as plain lines, with hostile text stripped', () => {
    const { stream, text } = capture();
    const p = new Progress(1, stream, false);
    p.stage({
      stage: 'browser',
      phase: 'start',
      target: 'https://a.example/',
      visits: ['none', 'reject', 'gpc'],
    });
    p.stage({ stage: 'browser', phase: 'done', target: 'https://a.example/', ms: 6240 });
    p.stage({
      stage: 'browser',
      phase: 'done',
      target: 'https://a.example/',
      ms: 10,
      error: { code: 'timeout', message: 'took \u001b[31mtoo long' },
    });
    expect(text()).toBe(
      'vioscan: browser: visiting https://a.example/ (before consent, after you rejected, with GPC)\n' +
        'vioscan: browser: https://a.example/ visited in 6.2 s\n' +
        'vioscan: browser: https://a.example/ could not be visited: took too long (timeout)\n',
    );
  });

  it('--quiet prints nothing', () => {
    const { stream, text } = capture();
    new Progress(1, stream, true).stage({
      stage: 'browser',
      phase: 'start',
      target: 'https://a.example/',
      visits: ['none'],
    });
    expect(text()).toBe('');
  });

  it('a browser stage that could not run makes the scan incomplete: exit 3', () => {
    const ok = { findings: [], privacy: { consent: {} } } as unknown as Report;
    const failed = {
      findings: [],
      privacy: { error: { code: 'browser_unavailable', message: 'x' } },
    } as unknown as Report;
    expect(exitCodeFor([ok])).toBe(0);
    expect(exitCodeFor([ok, failed])).toBe(3);
  });
});

describe('saved artefacts with the browser stage', () => {
  it('--save-artifacts keeps the browser artefact and --from-artifacts replays it to the same report', async () => {
    const artefacts = inVisit('none', (v) => addAnalytics(v));
    const scan = { artefacts, startedAt: '2025-06-01T00:00:00.000Z', finishedAt: '2025-06-01T00:00:09.000Z' };
    const file = await saveArtefacts(path.join(tmp, 'saved'), scan);
    const loaded = await loadSavedScan(file);
    expect(loaded.artefacts.browser).toEqual(artefacts.browser);
    const again = replay(loaded).report;
    expect(again).toEqual(replay({ format: 'vioscan-artefacts', version: 1, ...scan }).report);
    expect(again.privacy?.consent.result).toBe('honoured');
    expect(again.findings.some((f) => f.checkId === 'pre-consent-tracking')).toBe(true);
    expect(JSON.parse(await readFile(file, 'utf8')).artefacts.browser.visits).toHaveLength(3);
  });
});
