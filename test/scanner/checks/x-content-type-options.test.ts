import { describe } from 'vitest';
import { xContentTypeOptions } from '../../../src/scanner/checks/x-content-type-options.ts';
import { baseline, withHeaders } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const h = (v: string[] | undefined) => withHeaders(baseline(), { 'x-content-type-options': v });

describe('x-content-type-options', () => {
  checkTable(xContentTypeOptions, 'x-content-type-options-nosniff', [
    ['missing', h(undefined), 'x-content-type-options-missing', 'fail'],
    ['wrong value', h(['sniff']), 'x-content-type-options-invalid', 'fail'],
    ['upper case', h(['NOSNIFF']), 'x-content-type-options-nosniff', 'pass'],
    ['nosniff first of two', h(['nosniff, other']), 'x-content-type-options-nosniff', 'pass'],
    ['nosniff second', h(['other', 'nosniff']), 'x-content-type-options-invalid', 'fail'],
  ]);
});
