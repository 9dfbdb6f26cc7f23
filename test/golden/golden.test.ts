import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GOLDEN_DIR, goldenFixtures, goldenReport } from '../../scripts/update-golden.ts';

// A changed golden report means users' grades or findings change: regenerate only on purpose
// (`npm run golden:update`) and review the diff.
describe('golden reports from saved artefacts', () => {
  const fixtures = goldenFixtures();

  it('has fixtures to replay', () => {
    expect(fixtures).toEqual(expect.arrayContaining(['hardened-site', 'legacy-site']));
  });

  it.each(fixtures)('%s: analyze() output equals the saved golden report', (name) => {
    const saved = JSON.parse(readFileSync(`${GOLDEN_DIR}reports/${name}.json`, 'utf8')) as unknown;
    expect(JSON.parse(JSON.stringify(goldenReport(name)))).toEqual(saved);
  });
});
