/**
 * `vioscan rules update|status`: valid files land atomically in RULES_DIR with their date and hash
 * and win over the snapshot; every kind of bad input is refused with a clear message (exit 2 from
 * the real CLI) and leaves RULES_DIR exactly as it was.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RulesInputError, rulesStatus, updateRules } from '../../../src/scanner/browser/rules-update.ts';
import { SHIPPED_RULES_DIR, sha256Hex } from '../../../src/scanner/browser/rule-sources.ts';
import { loadHstsPreload } from '../../../src/scanner/data/hsts-preload.ts';
import { runCli } from '../../helpers/cli.ts';

const shippedOwners = readFileSync(path.join(SHIPPED_RULES_DIR, 'owners.json'), 'utf8');

let scratch: string;
let rulesDir: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'vioscan-rules-update-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));
beforeEach(async () => {
  rulesDir = await mkdtemp(path.join(scratch, 'rules-'));
});

/** Every file of the folder with its content: what "nothing changed" compares. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
}

async function input(name: string, content: string | Buffer): Promise<string> {
  const file = path.join(scratch, name);
  await writeFile(file, content);
  return file;
}

function ownersWith(entries: number): string {
  const map = JSON.parse(shippedOwners) as { entries: unknown[] };
  return JSON.stringify({ ...map, date: '2026-12-01', entries: map.entries.slice(0, entries) });
}

describe('updateRules', () => {
  it('installs an owner map with its own date, and the classifier status shows the operator copy', async () => {
    const file = await input('owners.json', ownersWith(12));
    const result = updateRules(rulesDir, file, { now: new Date('2026-12-07T10:00:00Z') });
    expect(result).toMatchObject({ id: 'owners', date: '2026-12-01', sha256: sha256Hex(ownersWith(12)) });
    expect(result.detail).toMatch(/^12 entries, \d+ domains$/);
    expect(await readFile(path.join(rulesDir, 'owners.json'), 'utf8')).toBe(ownersWith(12));
    const manifest = JSON.parse(await readFile(path.join(rulesDir, 'manifest.json'), 'utf8'));
    expect(manifest.owners).toEqual({
      date: '2026-12-01',
      source: file,
      sha256: sha256Hex(ownersWith(12)),
      updatedAt: '2026-12-07T10:00:00.000Z',
    });
    const status = rulesStatus(rulesDir);
    expect(status.map((s) => [s.id, s.origin])).toEqual([
      ['easyprivacy', 'shipped'],
      ['easylist', 'shipped'],
      ['owners', 'operator'],
      ['hsts-preload', 'shipped'],
    ]);
    expect(readdirSync(rulesDir).sort()).toEqual(['manifest.json', 'owners.json']); // no temporary files left
  });

  it('installs a real list, dated by its Last modified header, keeping earlier entries of the manifest', async () => {
    updateRules(rulesDir, await input('o.json', ownersWith(12)));
    const list = readFileSync(path.join(SHIPPED_RULES_DIR, 'easyprivacy.txt'), 'utf8').replace(
      '! Last modified: %timestamp%',
      '! Last modified: 05 Dec 2026 09:12 UTC',
    );
    const result = updateRules(rulesDir, await input('easyprivacy.txt', list));
    expect(result).toMatchObject({ id: 'easyprivacy', date: '2026-12-05' });
    expect(result.detail).toMatch(/^\d{5} network filters$/);
    const manifest = JSON.parse(await readFile(path.join(rulesDir, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest).sort()).toEqual(['easyprivacy', 'owners']);
    expect(rulesStatus(rulesDir)[0]).toMatchObject({ origin: 'operator', date: '2026-12-05' });
  });

  it('takes --date and --list when the file says neither', async () => {
    const list = readFileSync(path.join(SHIPPED_RULES_DIR, 'easylist.txt'), 'utf8').replace(
      /^! Title: .*$/m,
      '!',
    );
    const result = updateRules(rulesDir, await input('untitled.txt', list), {
      list: 'easylist',
      date: '2026-10-01',
    });
    expect(result).toMatchObject({ id: 'easylist', date: '2026-10-01' });
  });
});

describe('bad input changes nothing', () => {
  const titled = (title: string, body: string) => `[Adblock Plus 2.0]\n! Title: ${title}\n${body}`;

  it.each<
    [string, () => Promise<string>, { list?: 'easyprivacy' | 'easylist' | 'owners'; date?: string }, string]
  >([
    ['a missing file', async () => path.join(scratch, 'nope.txt'), {}, 'cannot read'],
    ['an empty file', () => input('empty.txt', ''), {}, 'is empty'],
    [
      'a binary file',
      () => input('bin.txt', Buffer.from([0x5b, 0x00, 0xff, 0xfe, 0x00])),
      {},
      'is not UTF-8 text',
    ],
    [
      'an unknown list',
      () => input('x.txt', titled('Fanboy Annoyances', '||x^\n')),
      {},
      'cannot tell which list this is',
    ],
    [
      'a list named as the other one',
      () => input('x.txt', titled('EasyList', '||x^\n')),
      { list: 'easyprivacy' },
      'not EasyPrivacy',
    ],
    [
      'a list without a header',
      () => input('x.txt', '||a.test^\n||b.test^\n'),
      { list: 'easylist' },
      'not a filter list',
    ],
    [
      'a list far too small',
      () => input('x.txt', titled('EasyPrivacy', '||a.test^\n||b.test^\n')),
      {},
      'only 2 network filters parsed',
    ],
    [
      'an owner map that is not JSON',
      () => input('o.json', '{"version": 1,'),
      {},
      'the owner map is not JSON',
    ],
    [
      'an owner map with an http source',
      async () =>
        input(
          'o.json',
          ownersWith(12).replace('"https://developers.google.com', '"http://developers.google.com'),
        ),
      {},
      'entries.0.source: must be an https:// URL',
    ],
    [
      'an owner map too small',
      () => input('o.json', ownersWith(3)),
      {},
      'the owner map has 3 entries; at least 10 expected',
    ],
    [
      'a bad --date',
      () => input('o.json', ownersWith(12)),
      { date: '2026-13-45' },
      '--date must be a date YYYY-MM-DD',
    ],
    [
      'a bad --list',
      () => input('o.json', ownersWith(12)),
      { list: 'ublock' as 'owners' },
      '--list must be one of easyprivacy, easylist, owners',
    ],
  ])('refuses %s', async (_name, make, options, message) => {
    await writeFile(path.join(rulesDir, 'owners.json'), ownersWith(11));
    await writeFile(
      path.join(rulesDir, 'manifest.json'),
      JSON.stringify({ owners: { date: '2026-01-01', source: 'x', sha256: sha256Hex(ownersWith(11)) } }),
    );
    const before = snapshot(rulesDir);
    const file = await make();
    expect(() => updateRules(rulesDir, file, options)).toThrowError(RulesInputError);
    expect(() => updateRules(rulesDir, file, options)).toThrowError(message);
    expect(snapshot(rulesDir)).toEqual(before);
  });

  it('refuses to write past an unreadable manifest', async () => {
    await writeFile(path.join(rulesDir, 'manifest.json'), '{"owners": {"date": "yesterday"}}');
    const before = snapshot(rulesDir);
    expect(() => updateRules(rulesDir, path.join(SHIPPED_RULES_DIR, 'owners.json'))).toThrowError(
      /manifest\.json is unreadable/,
    );
    expect(snapshot(rulesDir)).toEqual(before);
  });
});

/** Chromium's file: a licence in // comments, then JSON with `entries`. */
function chromiumList(forceHttps: number): string {
  const entries = Array.from({ length: forceHttps }, (_, i) =>
    JSON.stringify({
      name: `site${i}.example`,
      policy: 'bulk-1-year',
      mode: 'force-https',
      include_subdomains: i % 2 === 0,
    }),
  );
  entries.push(JSON.stringify({ name: 'pinned.example', policy: 'google', pins: 'google' }));
  return `// Copyright 2026 The Chromium Authors\n// BSD-style licence\n{\n  "entries": [\n    ${entries.join(',\n    ')}\n  ]\n}\n`;
}

describe('the HSTS preload list', () => {
  it("installs Chromium's JSON as force-https names, and scans use it", async () => {
    const result = updateRules(
      rulesDir,
      await input('transport_security_state_static.json', chromiumList(12_000)),
      {
        date: '2026-12-01',
      },
    );
    expect(result).toMatchObject({
      id: 'hsts-preload',
      date: '2026-12-01',
      detail: '12000 force-https entries',
    });
    const text = await readFile(path.join(rulesDir, 'hsts-preload.txt'), 'utf8');
    expect(text.split('\n')).toContain('site0.example include_subdomains');
    expect(text).not.toContain('pinned.example');
    expect(rulesStatus(rulesDir).at(-1)).toMatchObject({
      id: 'hsts-preload',
      origin: 'operator',
      date: '2026-12-01',
    });
    const list = loadHstsPreload(rulesDir);
    expect(list.date).toBe('2026-12-01');
    expect(list.lookup('www.site0.example')).toEqual({ name: 'site0.example', includeSubDomains: true });
    expect(list.lookup('github.com')).toBeUndefined();
  });

  it('refuses a list that is far too short, and changes nothing', async () => {
    const before = snapshot(rulesDir);
    const short = await input('short.json', chromiumList(50));
    expect(() => updateRules(rulesDir, short)).toThrow(
      new RulesInputError(
        'only 50 force-https entries; the real HSTS preload list has tens of thousands (at least 10000 expected)',
      ),
    );
    expect(snapshot(rulesDir)).toEqual(before);
  });
});

describe('the CLI', () => {
  it('exits 2 with a clear message on bad input and leaves RULES_DIR untouched', async () => {
    const dir = path.join(scratch, 'cli-rules');
    await mkdir(dir);
    await writeFile(path.join(dir, 'keep.txt'), 'kept');
    const bad = await input('bad.json', '{"version": 1, "date": "2026-12-07", "entries": []}');
    const result = await runCli(['rules', 'update', '--from', bad], { RULES_DIR: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('vioscan: rules update: the owner map is invalid:');
    expect(result.stderr).toContain('(nothing was changed)');
    expect(snapshot(dir)).toEqual({ 'keep.txt': 'kept' });
  });

  it('installs an owner map and shows it in the status with its date', async () => {
    const dir = path.join(scratch, 'cli-rules-ok');
    const file = await input('good.json', ownersWith(10));
    const update = await runCli(['rules', 'update', '--from', file], { RULES_DIR: dir });
    expect(update.stderr).toBe('');
    expect(update.code).toBe(0);
    expect(update.stdout).toContain(`Installed owners (10 entries,`);
    expect(update.stdout).toContain(`dated 2026-12-01) to ${path.join(dir, 'owners.json')}`);
    const status = await runCli(['rules', 'status'], { RULES_DIR: dir });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/EasyPrivacy\s+2025-10-31 {2}shipped snapshot/);
    expect(status.stdout).toMatch(
      new RegExp(`VIOscan tracker owner map\\s+2026-12-01 {2}operator copy ${dir}/owners.json`),
    );
  });
});
