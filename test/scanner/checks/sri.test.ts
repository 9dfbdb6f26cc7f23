import { describe } from 'vitest';
import { sri } from '../../../src/scanner/checks/sri.ts';
import { set } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

describe('sri', () => {
  checkTable(sri, 'sri-protected', [
    [
      'cross-origin script without integrity',
      set((a) => a.html?.scripts.push({ src: 'https://cdn.example.net/x.js' })),
      'sri-missing-script',
      'fail',
    ],
    [
      'cross-origin script over http',
      set((a) => a.html?.scripts.push({ src: 'http://cdn.example.net/x.js' })),
      'sri-missing-insecure',
      'fail',
    ],
    [
      'cross-origin stylesheet without integrity',
      set((a) => a.html?.stylesheets.push({ href: 'https://fonts.example.net/a.css' })),
      'sri-missing-stylesheet',
      'warn',
    ],
    [
      'relative script is same-origin',
      set((a) => {
        if (a.html) a.html.scripts = [{ src: '/app.js' }];
      }),
      'sri-not-needed',
      'pass',
    ],
  ]);
});
