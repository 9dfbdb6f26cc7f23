import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../../src/scanner/checks/index.ts';
import { renderSarif } from '../../../src/scanner/report/sarif.ts';
import { hostilePrivacyReport, hostileReport } from './hostile.ts';

// The official SARIF 2.1.0 schema (draft-04; one pattern is not valid with the `u` flag, hence unicodeRegExp off) as shipped by Microsoft's @microsoft/jest-sarif package.
const require = createRequire(import.meta.url);
const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object;
// CommonJS default export: under NodeNext the class sits on `.default`.
const validate = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false }).compile(
  schema,
);

describe('SARIF output', () => {
  const report = hostileReport();
  report.findings[0] = { ...report.findings[0]!, accepted: { reason: 'legacy app', expires: '2026-01-01' } };
  const log = JSON.parse(renderSarif(report)) as {
    runs: {
      tool: { driver: { rules: { id: string }[] } };
      results: { ruleId: string; ruleIndex: number; suppressions?: unknown[] }[];
    }[];
  };

  it('validates against the SARIF 2.1.0 schema', () => {
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('validates with the privacy scan: its findings, categories and run summary', () => {
    const ok = validate(JSON.parse(renderSarif(hostilePrivacyReport())));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema rejects a broken log (the validator is live)', () => {
    expect(validate({ version: '2.1.0', runs: [{ tool: {} }] })).toBe(false);
  });

  it('has one rule per check and one result per finding, pointing at its rule', () => {
    const run = log.runs[0]!;
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(CHECKS.map((c) => c.id));
    expect(run.results).toHaveLength(report.findings.length);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex]?.id).toBe(r.ruleId);
    expect(run.results[0]?.suppressions).toHaveLength(1);
  });
});
