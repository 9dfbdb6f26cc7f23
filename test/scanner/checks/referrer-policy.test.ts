import { describe } from 'vitest';
import { referrerPolicy } from '../../../src/scanner/checks/referrer-policy.ts';
import { baseline, withHeaders } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const h = (v: string | undefined) =>
  withHeaders(baseline(), { 'referrer-policy': v === undefined ? undefined : [v] });

describe('referrer-policy', () => {
  checkTable(referrerPolicy, 'referrer-policy-private', [
    ['missing', h(undefined), 'referrer-policy-missing', 'warn'],
    ['unsafe-url', h('unsafe-url'), 'referrer-policy-unsafe', 'fail'],
    ['no-referrer-when-downgrade', h('no-referrer-when-downgrade'), 'referrer-policy-unsafe', 'fail'],
    ['unknown token', h('nonsense'), 'referrer-policy-invalid', 'fail'],
    ['fallback list, last known wins', h('no-referrer, unsafe-url'), 'referrer-policy-unsafe', 'fail'],
    ['unknown last token skipped', h('no-referrer, future-policy'), 'referrer-policy-private', 'pass'],
  ]);
});
