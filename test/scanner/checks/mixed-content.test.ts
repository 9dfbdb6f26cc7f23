import { describe } from 'vitest';
import { mixedContent } from '../../../src/scanner/checks/mixed-content.ts';
import { set } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const sub = (url: string, kind: 'active' | 'passive', tag: string) =>
  set((a) => {
    a.html?.subresources.push({ url, kind, tag });
  });

describe('mixed-content', () => {
  checkTable(mixedContent, 'mixed-content-none', [
    ['http script', sub('http://cdn.example.net/a.js', 'active', 'script'), 'mixed-content-active', 'fail'],
    ['http image', sub('http://cdn.example.net/a.png', 'passive', 'img'), 'mixed-content-passive', 'warn'],
    [
      'page itself on http',
      set((a) => {
        if (a.page.final) a.page.final.url = 'http://example.test/';
      }),
      'mixed-content-not-applicable',
      'skipped',
    ],
  ]);
});
