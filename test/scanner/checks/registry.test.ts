import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHECKS_DOC_PATH, checksDoc } from '../../../scripts/gen-checks-doc.ts';
import { CHECKS } from '../../../src/scanner/checks/index.ts';

const checksDir = fileURLToPath(new URL('../../../src/scanner/checks/', import.meta.url));
const testsDir = fileURLToPath(new URL('./', import.meta.url));
/** Files in checks/ that are not checks. */
const NOT_CHECKS = new Set(['index.ts', 'helpers.ts']);

describe('check registry', () => {
  it('registers every check file in src/scanner/checks/', () => {
    const files = readdirSync(checksDir).filter((f) => f.endsWith('.ts') && !NOT_CHECKS.has(f));
    expect(files.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual(CHECKS.map((c) => c.id).sort());
  });

  it.each(CHECKS.map((c) => c.id))('%s has a table-driven test file', (id) => {
    expect(existsSync(`${testsDir}${id}.test.ts`)).toBe(true);
  });

  it.each(CHECKS)('$id is well formed', (check) => {
    expect(check.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(check.id.startsWith('no-')).toBe(false);
    for (const outcome of Object.keys(check.outcomes)) expect(outcome.startsWith(`${check.id}-`)).toBe(true);
    for (const text of [check.title, check.failureTitle, check.description, check.remediation])
      expect(text.length).toBeGreaterThan(10);
    expect(check.references.length).toBeGreaterThan(0);
    expect(check.requires.length).toBeGreaterThan(0);
  });

  it('the README states the registry’s check counts (passive, active, browser)', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const active = CHECKS.filter((c) => c.active).length;
    const browser = CHECKS.filter((c) => c.requires.includes('browser')).length;
    expect(readme).toContain(`${CHECKS.length - active - browser} passive checks`);
    expect(readme).toContain(`plus ${active} active ones`);
    expect(readme).toContain(`${browser} browser checks with \`--browser\``);
  });

  it('ids are unique', () => {
    expect(new Set(CHECKS.map((c) => c.id)).size).toBe(CHECKS.length);
  });

  it('docs/checks.md is generated from the registry and up to date (npm run docs:checks)', () => {
    expect(existsSync(CHECKS_DOC_PATH)).toBe(true);
    const doc = readFileSync(CHECKS_DOC_PATH, 'utf8');
    for (const c of CHECKS) expect(doc).toContain(`### \`${c.id}\``);
    expect(doc).toBe(checksDoc());
  });
});
