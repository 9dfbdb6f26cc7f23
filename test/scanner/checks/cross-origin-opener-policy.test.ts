import { describe } from 'vitest';
import { crossOriginOpenerPolicy } from '../../../src/scanner/checks/cross-origin-opener-policy.ts';
import { baseline, withHeaders } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const h = (...v: string[]) =>
  withHeaders(baseline(), { 'cross-origin-opener-policy': v.length ? v : undefined });

describe('cross-origin-opener-policy', () => {
  checkTable(crossOriginOpenerPolicy, 'cross-origin-opener-policy-same-origin', [
    ['missing', h(), 'cross-origin-opener-policy-missing', 'warn'],
    ['allow-popups', h('same-origin-allow-popups'), 'cross-origin-opener-policy-allow-popups', 'pass'],
    ['noopener-allow-popups', h('noopener-allow-popups'), 'cross-origin-opener-policy-allow-popups', 'pass'],
    [
      'with report-to parameter',
      h('same-origin; report-to="coop"'),
      'cross-origin-opener-policy-same-origin',
      'pass',
    ],
    ['unsafe-none', h('unsafe-none'), 'cross-origin-opener-policy-unsafe-none', 'warn'],
    ['unknown token', h('whimsy'), 'cross-origin-opener-policy-invalid', 'fail'],
    ['two headers', h('same-origin', 'same-origin'), 'cross-origin-opener-policy-invalid', 'fail'],
  ]);
});
