import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { replaceConfigTable } from '../../src/config/doc.ts';
import { variables } from '../../src/config/schema.ts';

describe('README configuration table', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

  it('matches the config schema (run `npm run docs:config` after changing a variable)', () => {
    expect(replaceConfigTable(readme)).toBe(readme);
  });

  it('lists every variable', () => {
    for (const v of Object.values(variables)) expect(readme).toContain(`\`${v.env}\``);
  });
});
