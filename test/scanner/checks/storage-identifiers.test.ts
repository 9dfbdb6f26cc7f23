import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StorageWrite } from '../../../src/scanner/browser/types.ts';
import { looksLikeIdentifier, storageIdentifiers } from '../../../src/scanner/checks/storage-identifiers.ts';
import { NOW } from '../helpers/artefacts.ts';
import { browser, inVisit, withBrowser } from '../helpers/browser-artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const write = (valuePreview: string, extra: Partial<StorageWrite> = {}): StorageWrite => ({
  area: 'localStorage',
  origin: 'https://example.test',
  key: 'amplitude_id',
  valuePreview,
  script: 'https://cdn.amplitude.test/libs/amplitude.js',
  party: 'third',
  ...extra,
});

describe('storage-identifiers', () => {
  checkTable(
    storageIdentifiers,
    'storage-identifiers-none',
    [
      [
        'a UUID by a third-party script',
        inVisit('none', (v) => v.storage.push(write('{"deviceId":"3f2b8c1e-9d4a-4b7e-8f00-1a2b3c4d5e6f"}'))),
        'storage-identifiers-third-party',
        'warn',
      ],
      [
        'a GA-style client id',
        inVisit('gpc', (v) => v.storage.push(write('1234567890.1717171717'))),
        'storage-identifiers-third-party',
        'warn',
      ],
      [
        'a random token in IndexedDB',
        inVisit('none', (v) => v.storage.push(write('k9Xq2LmZ7pR4tW8vB3nY', { area: 'indexedDB' }))),
        'storage-identifiers-third-party',
        'warn',
      ],
      [
        'the same UUID stored by the site itself',
        inVisit('none', (v) =>
          v.storage.push(write('3f2b8c1e-9d4a-4b7e-8f00-1a2b3c4d5e6f', { party: 'first' })),
        ),
        'storage-identifiers-none',
        'pass',
      ],
      [
        'a third party storing a setting',
        inVisit('none', (v) => v.storage.push(write('{"muted":true,"volume":0.8}'))),
        'storage-identifiers-none',
        'pass',
      ],
      [
        'a third party storing a timestamp',
        inVisit('none', (v) => v.storage.push(write('1717171717171'))),
        'storage-identifiers-none',
        'pass',
      ],
      [
        'a visit failed',
        inVisit('none', (v) => (v.error = { code: 'timeout', message: 'slow' })),
        'storage-identifiers-incomplete',
        'error',
      ],
      ['no visits', browser((b) => (b.visits = [])), 'storage-identifiers-not-observed', 'skipped'],
    ],
    withBrowser,
  );

  it('names the key, the value, the area and the script', () => {
    const r = storageIdentifiers.run(
      inVisit('none', (v) => v.storage.push(write('k9Xq2LmZ7pR4tW8vB3nY'))),
      { now: NOW },
    );
    expect(r.findings[0]?.title).toBe(
      'cdn.amplitude.test stores an identifier in localStorage ("amplitude_id")',
    );
    expect(r.findings[0]?.evidence).toBe(
      'before consent: localStorage of "https://example.test", key "amplitude_id" = "k9Xq2LmZ7pR4tW8vB3nY", written by script "https://cdn.amplitude.test/libs/amplitude.js"',
    );
  });

  it('words, and numbers alone, are never identifiers', () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-z ]{0,60}$/), (s) => !looksLikeIdentifier(s)));
    fc.assert(fc.property(fc.stringMatching(/^\d{1,20}$/), (s) => !looksLikeIdentifier(s)));
  });

  it('a UUID is always an identifier, wherever it sits in the value', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.string({ maxLength: 20 }), (id, prefix) =>
        looksLikeIdentifier(`${prefix}${id}`),
      ),
    );
  });
});
