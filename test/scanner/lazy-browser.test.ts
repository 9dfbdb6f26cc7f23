import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

/**
 * Playwright and axe-core are loaded only when a scan opens a browser: loading them cost every
 * passive `vioscan scan` about 0.3 s before its first request (npm run bench:cli, issue 16).
 */
describe('the browser stage is loaded on demand', () => {
  const heavy = () =>
    Object.keys(createRequire(import.meta.url).cache).filter((file) =>
      /node_modules\/(playwright-core|axe-core)\//.test(file),
    );

  it('the scanner and the CLI scan command load neither Playwright nor axe-core', async () => {
    await import('../../src/scanner/index.ts');
    await import('../../src/cli/commands/scan-run.ts');
    expect(heavy()).toEqual([]);
  });

  it('the browser stage itself does (so the check above can see them)', async () => {
    await import('../../src/scanner/browser/index.ts');
    expect(heavy().some((file) => file.includes('playwright-core'))).toBe(true);
    expect(heavy().some((file) => file.includes('axe-core'))).toBe(true);
  });
});
