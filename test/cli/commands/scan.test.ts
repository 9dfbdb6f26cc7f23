/**
 * The scan command's pieces in-process (the smoke tests cover the real binary): flag parsing,
 * exit codes, combining reports, suppressions files and the saved-artefacts format.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodeFor, renderAll } from '../../../src/cli/commands/scan-output.ts';
import { mapLimit } from '../../../src/scanner/map-limit.ts';
import { parseHeader, targetUrl } from '../../../src/cli/commands/scan-run.ts';
import { UsageError } from '../../../src/cli/usage-error.ts';
import {
  ArtefactFileError,
  loadArtefactDir,
  loadSavedScan,
  saveArtefacts,
} from '../../../src/scanner/artefact-store.ts';
import { redactValues, replay } from '../../../src/scanner/index.ts';
import { parseSuppressions, SuppressionFileError } from '../../../src/scanner/suppressions.ts';
import type { Artefacts, Finding, Report } from '../../../src/scanner/types.ts';

const report = (findings: Partial<Finding>[], error?: Report['error']): Report =>
  ({
    schemaVersion: 1,
    scoringVersion: 1,
    target: 'https://a.example/',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    timings: {},
    grade: 'B',
    score: 80,
    headersScore: 80,
    headersGrade: 'B',
    categories: [],
    checks: [],
    findings: findings as Finding[],
    ...(error && { error }),
  }) as Report;

describe('flags', () => {
  it.each([
    ['X-Api-Key: abc', ['x-api-key', 'abc']],
    ['Cookie:  a=1; b=2 ', ['cookie', 'a=1; b=2']],
    ['Authorization: Bearer x:y', ['authorization', 'Bearer x:y']],
  ])('parseHeader(%j)', (raw, expected) => {
    expect(parseHeader(raw)).toEqual(expected);
  });

  it.each([
    ['no colon', '--header expects "Name: value"'],
    [': value', '--header expects "Name: value"'],
    ['Bad Name: v', '--header expects "Name: value"'],
    ['Host: evil.example', '--header cannot set host'],
    ['Content-Length: 5', '--header cannot set content-length'],
    ['X-A: one\r\nX-B: two', 'value contains a line break'],
  ])('parseHeader rejects %j', (raw, message) => {
    expect(() => parseHeader(raw)).toThrow(UsageError);
    expect(() => parseHeader(raw)).toThrow(message);
  });

  it('targetUrl assumes https and normalises; rejects what can never be scanned', () => {
    expect(targetUrl('example.com')).toBe('https://example.com/');
    expect(targetUrl('http://Example.com:8080/a#b')).toBe('http://example.com:8080/a');
    expect(() => targetUrl('javascript://x/')).toThrow('scheme javascript: is not allowed');
    expect(() => targetUrl('https://u:p@example.com/')).toThrow('credentials');
  });
});

describe('exit codes', () => {
  it.each<[string, Report[], 'critical' | 'high' | 'medium' | 'low' | undefined, number]>([
    ['no findings', [report([])], 'low', 0],
    ['findings without --fail-on', [report([{ severity: 'critical' }])], undefined, 0],
    ['below the threshold', [report([{ severity: 'medium' }])], 'high', 0],
    ['at the threshold', [report([{ severity: 'high' }])], 'high', 1],
    ['above the threshold', [report([{ severity: 'critical' }])], 'low', 1],
    ['info never fails', [report([{ severity: 'info' }])], 'low', 0],
    [
      'accepted findings do not fail',
      [report([{ severity: 'critical', accepted: { reason: 'r', expires: 'e' } }])],
      'low',
      0,
    ],
    ['one of many failed to scan', [report([]), report([], { code: 'timeout', message: 't' })], 'low', 3],
    [
      'failure wins over findings',
      [report([{ severity: 'critical' }]), report([], { code: 'x', message: 'm' })],
      'low',
      3,
    ],
  ])('%s', (_name, reports, failOn, code) => {
    expect(exitCodeFor(reports, failOn)).toBe(code);
  });
});

describe('combined output', () => {
  it('JSON: an object for one report, an array for many', () => {
    expect(JSON.parse(renderAll([report([])], 'json'))).toMatchObject({
      target: 'https://a.example/',
    });
    expect(JSON.parse(renderAll([report([]), report([])], 'json'))).toHaveLength(2);
  });

  it('SARIF: one log with a run per report', () => {
    const log = JSON.parse(renderAll([report([]), report([]), report([])], 'sarif')) as {
      runs: unknown[];
      version: string;
    };
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(3);
  });

  it('mapLimit keeps order and never exceeds the limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, n * 5));
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });
});

describe('suppressions file', () => {
  const now = new Date('2026-06-01T00:00:00Z');

  it('reads YAML and JSON, expands a host to every URL of it, drops expired entries with a warning', () => {
    const yaml = `suppressions:\n  - check: hsts\n    target: a.example\n    reason: CDN sets it\n    expires: 2026-12-31\n  - check: csp\n    target: https://a.example/app/*\n    reason: legacy\n    expires: 2026-01-01\n`;
    const { suppressions, warnings } = parseSuppressions(yaml, '.vioscan.yml', now);
    expect(suppressions.map((s) => s.target)).toEqual([
      'http://a.example/*',
      'https://a.example/*',
      'http://a.example:*',
      'https://a.example:*',
    ]);
    expect(suppressions[0]).toMatchObject({
      check: 'hsts',
      reason: 'CDN sets it',
      expires: '2026-12-31T00:00:00.000Z',
    });
    expect(warnings).toEqual([
      '.vioscan.yml: suppression of csp for https://a.example/app/* expired on 2026-01-01; ignored',
    ]);
    const json = JSON.stringify([
      { check: 'cors', target: 'https://b.example/', reason: 'ok', expires: '2027-01-01' },
    ]);
    expect(parseSuppressions(json, 'x.json', now).suppressions).toHaveLength(1);
  });

  it.each([
    ['check: [unclosed', 'not valid YAML or JSON'],
    ['- { check: hsts, target: a.example, expires: 2027-01-01 }', 'reason'],
    ['- { check: hsts, target: a.example, reason: r, expires: soon }', 'expected a date'],
    ['suppressions: 3', 'suppressions'],
  ])('rejects %j with a message naming the problem', (text, message) => {
    expect(() => parseSuppressions(text, 'f.yml', now)).toThrow(SuppressionFileError);
    expect(() => parseSuppressions(text, 'f.yml', now)).toThrow(message);
  });

  it('an empty file suppresses nothing', () => {
    expect(parseSuppressions('', 'f.yml', now)).toEqual({ suppressions: [], warnings: [] });
  });
});

describe('saved artefacts', () => {
  const artefacts: Artefacts = {
    target: 'https://a.example:8443/x',
    page: { requestedUrl: 'https://a.example:8443/x', hops: [], error: { code: 'timeout', message: 't' } },
    timings: { total: 5 },
  };

  it('round-trip through a directory and replay deterministically', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vioscan-art-'));
    try {
      const file = await saveArtefacts(dir, {
        artefacts,
        startedAt: '2026-01-01T00:00:00.000Z',
        finishedAt: '2026-01-01T00:00:02.000Z',
      });
      expect(path.basename(file)).toMatch(/^a\.example_8443-[0-9a-f]{10}\.artefacts\.json$/);
      const [saved] = await loadArtefactDir(dir);
      expect(saved?.artefacts).toEqual(artefacts);
      const a = replay(saved!).report;
      const b = replay(saved!).report;
      expect(a).toEqual(b);
      expect(a.error?.code).toBe('timeout');
      await writeFile(path.join(dir, 'bad.artefacts.json'), '{"format":"other"}');
      await expect(loadSavedScan(path.join(dir, 'bad.artefacts.json'))).rejects.toThrow(ArtefactFileError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('redactValues scrubs secrets from every string, keys untouched', () => {
    const out = redactValues({ a: ['x-SECRET1-y'], b: { c: 'SECRET1' }, n: 3 }, ['SECRET1', 'ab']);
    expect(out).toEqual({ a: ['x-[redacted]-y'], b: { c: '[redacted]' }, n: 3 });
  });
});
