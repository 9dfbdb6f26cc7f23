/**
 * The terminal report: colour only on a terminal and never with NO_COLOR, lines wrapped at the
 * terminal's width, and the last lines say what to fix first. The real CLI runs under a
 * pseudo-terminal (util-linux `script`), so isTTY and the width are the kernel's, not a stub's.
 */
/* eslint-disable no-control-regex -- these tests look for escape sequences */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminalOptions } from '../../../src/cli/commands/scan-output.ts';
import { saveArtefacts } from '../../../src/scanner/artefact-store.ts';
import { renderText } from '../../../src/scanner/report/text.ts';
import type { Artefacts } from '../../../src/scanner/types.ts';
import { GOLDEN_META, goldenReport } from '../../../scripts/update-golden.ts';
import { readFileSync } from 'node:fs';
import { BIN } from '../../helpers/cli.ts';

const ESC = /\u001b\[[0-9;]*m/g;
const visible = (line: string) => line.replace(ESC, '').replace(/\r$/, '');

describe('terminalOptions', () => {
  it.each([
    ['a terminal', { isTTY: true, columns: 100 }, {}, false, { color: true, width: 100 }],
    [
      'a terminal with NO_COLOR=1',
      { isTTY: true, columns: 100 },
      { NO_COLOR: '1' },
      false,
      { color: false, width: 100 },
    ],
    [
      'a terminal with NO_COLOR empty (unset, per no-color.org)',
      { isTTY: true, columns: 80 },
      { NO_COLOR: '' },
      false,
      { color: true, width: 80 },
    ],
    ['a pipe', { isTTY: false }, {}, false, { color: false }],
    ['a pipe with COLUMNS', { isTTY: false }, { COLUMNS: '72' }, false, { color: false, width: 72 }],
    [
      '--output to a file from a terminal',
      { isTTY: true, columns: 100 },
      { COLUMNS: '72' },
      true,
      { color: false },
    ],
  ] as const)('%s', (_label, stdout, env, toFile, expected) => {
    expect(terminalOptions(stdout, env, toFile)).toEqual(expected);
  });
});

describe('renderText', () => {
  const report = goldenReport('legacy-site');

  it('wraps every line at the width, coloured or not, and loses no character', () => {
    for (const color of [false, true]) {
      const out = renderText(report, { color, width: 60 });
      for (const line of out.split('\n')) expect(visible(line).length, line).toBeLessThanOrEqual(60);
      // Only spaces and line breaks change: the same characters in the same order.
      const chars = (s: string) => s.replace(ESC, '').replace(/\s+/g, '');
      expect(chars(out)).toBe(chars(renderText(report, { color })));
    }
  });

  it('shows "Fix these first" before the findings and ends with its summary', () => {
    const out = renderText(report);
    expect(out.indexOf('Fix these first\n')).toBeLessThan(out.indexOf('Findings by root cause'));
    const tail = out.trimEnd().split('\n').slice(-4);
    expect(tail).toEqual([
      'Fix these first:',
      '  1. Serve the whole site over HTTPS → F (14)',
      '  2. CORS lets other sites read responses → F (20)',
      '  3. Set safe cookie attributes → D- (29)',
    ]);
  });

  it('names severities as everywhere else (Critical, High…) and groups findings under their cause', () => {
    const out = renderText(report);
    expect(out).toMatch(/Serve the whole site over HTTPS \(Critical · hours of work · resolves 5 findings\)/);
    expect(out).toMatch(/• Critical Password form over HTTP {2}\(fix within 1 day\)/);
  });
});

describe('the real CLI on a pseudo-terminal', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vioscan-tty-'));
    const artefacts = JSON.parse(
      readFileSync(new URL('../../golden/artefacts/legacy-site.json', import.meta.url), 'utf8'),
    ) as Artefacts;
    await saveArtefacts(dir, { artefacts, ...GOLDEN_META });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const onTty = (env: Record<string, string>, cols: number) =>
    new Promise<string>((resolve, reject) => {
      const cmd = `stty cols ${cols}; exec "${process.execPath}" "${BIN}" scan --from-artifacts "${dir}"`;
      const child = spawn('script', ['-qec', cmd, '/dev/null'], {
        env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', TERM: 'xterm', ...env },
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('error', reject);
      child.on('close', () => resolve(out));
    });
  // The CLI's own notice about running from sources is not part of the report.
  const reportLines = (out: string) => out.split('\n').filter((l) => !visible(l).startsWith('vioscan:'));

  it('colours on a terminal and wraps at its width', async () => {
    const out = await onTty({}, 72);
    expect(out).toMatch(ESC);
    expect(out).toContain('Fix these first');
    for (const line of reportLines(out)) expect(visible(line).length, line).toBeLessThanOrEqual(72);
  });

  it('prints no escape sequence with NO_COLOR set', async () => {
    const out = await onTty({ NO_COLOR: '1' }, 72);
    expect(out).toContain('Fix these first');
    expect(out).not.toMatch(/\u001b\[/);
  });
});
