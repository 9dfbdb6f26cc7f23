import { describe } from 'vitest';
import { formActions } from '../../../src/scanner/checks/form-actions.ts';
import { set } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const forms = (list: { action: string; method: string; hasPassword: boolean }[], pageUrl?: string) =>
  set((a) => {
    if (a.html) a.html.forms = list;
    if (pageUrl && a.page.final) a.page.final.url = pageUrl;
  });

describe('form-actions', () => {
  checkTable(formActions, 'form-actions-secure', [
    ['no forms', forms([]), 'form-actions-none', 'pass'],
    [
      'search posts to http',
      forms([{ action: 'http://example.test/s', method: 'get', hasPassword: false }]),
      'form-actions-insecure-action',
      'fail',
    ],
    [
      'password posts to http',
      forms([{ action: 'http://example.test/login', method: 'post', hasPassword: true }]),
      'form-actions-password-over-http',
      'fail',
    ],
    [
      'password on http page, relative action',
      forms([{ action: '/login', method: 'post', hasPassword: true }], 'http://example.test/'),
      'form-actions-password-over-http',
      'fail',
    ],
    [
      'empty action on https page',
      forms([{ action: '', method: 'post', hasPassword: true }]),
      'form-actions-secure',
      'pass',
    ],
  ]);
});
