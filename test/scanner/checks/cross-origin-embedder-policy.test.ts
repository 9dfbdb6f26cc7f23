import { describe } from 'vitest';
import { crossOriginEmbedderPolicy } from '../../../src/scanner/checks/cross-origin-embedder-policy.ts';
import { baseline, withHeaders } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const h = (...v: string[]) =>
  withHeaders(baseline(), { 'cross-origin-embedder-policy': v.length ? v : undefined });

describe('cross-origin-embedder-policy', () => {
  checkTable(crossOriginEmbedderPolicy, 'cross-origin-embedder-policy-enabled', [
    ['missing', h(), 'cross-origin-embedder-policy-missing', 'warn'],
    ['credentialless', h('credentialless'), 'cross-origin-embedder-policy-enabled', 'pass'],
    ['unsafe-none', h('unsafe-none'), 'cross-origin-embedder-policy-unsafe-none', 'warn'],
    ['invalid', h('require-corp, credentialless'), 'cross-origin-embedder-policy-invalid', 'fail'],
  ]);
});
