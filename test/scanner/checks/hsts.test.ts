import { describe } from 'vitest';
import { hsts } from '../../../src/scanner/checks/hsts.ts';
import { baseline, set, withHeaders } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const h = (v: string | undefined) =>
  withHeaders(baseline(), { 'strict-transport-security': v === undefined ? undefined : [v] });

describe('hsts', () => {
  checkTable(hsts, 'hsts-preload-ready', [
    ['missing', h(undefined), 'hsts-missing', 'fail'],
    ['no max-age', h('includeSubDomains'), 'hsts-invalid', 'fail'],
    ['max-age not a number', h('max-age=forever'), 'hsts-invalid', 'fail'],
    ['max-age repeated', h('max-age=31536000; max-age=1'), 'hsts-invalid', 'fail'],
    ['one day', h('max-age=86400'), 'hsts-max-age-too-short', 'fail'],
    ['six months exactly', h('max-age=15768000'), 'hsts-enabled', 'pass'],
    ['quoted max-age', h('max-age="31536000"'), 'hsts-enabled', 'pass'],
    ['preload without includeSubDomains', h('max-age=31536000; preload'), 'hsts-preload-not-ready', 'warn'],
    [
      'preload with short max-age',
      h('max-age=20000000; includeSubDomains; preload'),
      'hsts-preload-not-ready',
      'warn',
    ],
    [
      'page over http',
      set((a) => {
        if (a.page.final) a.page.final.url = 'http://example.test/';
      }),
      'hsts-not-https',
      'fail',
    ],
  ]);
});
