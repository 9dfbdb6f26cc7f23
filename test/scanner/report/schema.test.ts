import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/scanner/analyze.ts';
import { renderJson } from '../../../src/scanner/report/json.ts';
import { baseline } from '../helpers/artefacts.ts';
import { goldenReport } from '../../../scripts/update-golden.ts';
import { hostilePrivacyReport, hostileReport } from './hostile.ts';

const schema = JSON.parse(
  readFileSync(new URL('../../../schemas/report.schema.json', import.meta.url), 'utf8'),
) as object;
// ajv-formats is CommonJS: under NodeNext its default export is the module object.
const addFormats = formats.default;
const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(schema);
const meta = { startedAt: '2025-06-01T00:00:00Z', finishedAt: '2025-06-01T00:00:05Z' };

describe('schemas/report.schema.json', () => {
  it.each([
    ['passing site', () => analyze(baseline(), meta)],
    ['hostile site', hostileReport],
    ['site scanned in a browser (privacy and accessibility summaries)', () => goldenReport('tracking-site')],
    ['hostile page scanned in a browser', hostilePrivacyReport],
    [
      'unreachable site',
      () => {
        const a = baseline();
        a.page = { requestedUrl: a.target, hops: [], error: { code: 'dns_failed', message: 'no such host' } };
        return analyze(a, meta);
      },
    ],
    [
      'site whose certificate caps the grade',
      () => {
        const a = baseline();
        a.tls!.certificate!.chainTrusted = false;
        return analyze(a, meta);
      },
    ],
  ])('accepts the JSON report of a %s', (_name, make) => {
    const valid = validate(JSON.parse(renderJson(make())));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('rejects a privacy summary with an unknown consent result (the privacy schema is live)', () => {
    const r = JSON.parse(renderJson(goldenReport('tracking-site'))) as {
      privacy: { consent: { result: string } };
    };
    r.privacy.consent.result = 'maybe';
    expect(validate(r)).toBe(false);
  });

  it('rejects a report with an unknown grade', () => {
    expect(validate({ ...analyze(baseline(), meta), grade: 'Z' })).toBe(false);
  });
});
