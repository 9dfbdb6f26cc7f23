import { describe } from 'vitest';
import { crossOriginResourcePolicy } from '../../../src/scanner/checks/cross-origin-resource-policy.ts';
import { baseline, withHeaders } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const h = (...v: string[]) =>
  withHeaders(baseline(), { 'cross-origin-resource-policy': v.length ? v : undefined });

describe('cross-origin-resource-policy', () => {
  checkTable(crossOriginResourcePolicy, 'cross-origin-resource-policy-restricted', [
    ['missing', h(), 'cross-origin-resource-policy-missing', 'warn'],
    ['same-site', h('same-site'), 'cross-origin-resource-policy-restricted', 'pass'],
    ['cross-origin', h('cross-origin'), 'cross-origin-resource-policy-cross-origin', 'pass'],
    ['invalid', h('same origin'), 'cross-origin-resource-policy-invalid', 'fail'],
  ]);
});
