import { describe, expect, it } from 'vitest';
import { hsts } from '../../../src/scanner/checks/hsts.ts';
import { baseline, set, withHeaders } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const h = (v: string | undefined) =>
  withHeaders(baseline(), { 'strict-transport-security': v === undefined ? undefined : [v] });

/** The site's host is on the preload list, through its parent with include_subdomains. */
const preloaded = (v: string | undefined) => {
  const a = h(v);
  a.hstsPreload = {
    listDate: '2026-06-01',
    hosts: [{ host: 'example.test', entry: { name: 'test', includeSubDomains: true } }],
  };
  return a;
};

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
      'preloaded, header still ready',
      preloaded('max-age=63072000; includeSubDomains; preload'),
      'hsts-preloaded',
      'pass',
    ],
    ['preloaded, header dropped', preloaded(undefined), 'hsts-preloaded-header-weak', 'warn'],
    [
      'preloaded, preload directive dropped',
      preloaded('max-age=63072000'),
      'hsts-preloaded-header-weak',
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

describe('hsts evidence', () => {
  it('names the list and the parent entry that covers the host', () => {
    const run = hsts.run(preloaded(undefined));
    expect(run.evidence).toContain(
      `"example.test" is on Chromium's HSTS preload list (dated 2026-06-01) through "test"`,
    );
    expect(run.evidence).toContain('Strict-Transport-Security: absent');
  });

  it('says a preload-ready header is not on the list yet', () => {
    const a = h('max-age=63072000; includeSubDomains; preload');
    a.hstsPreload = { listDate: '2026-06-01', hosts: [{ host: 'example.test' }] };
    expect(hsts.run(a).evidence).toContain('not on the preload list dated 2026-06-01');
  });
});
