import { describe } from 'vitest';
import { tlsVersions } from '../../../src/scanner/checks/tls-versions.ts';
import type { TlsVersion } from '../../../src/scanner/types.ts';
import { set } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const versions = (v: Partial<Record<TlsVersion, boolean | null>>) =>
  set((a) => {
    if (a.tls) a.tls.versions = { ...a.tls.versions, ...v };
  });

describe('tls-versions', () => {
  checkTable(tlsVersions, 'tls-versions-modern', [
    ['TLS 1.0 offered', versions({ TLSv1: true }), 'tls-versions-legacy-offered', 'fail'],
    ['TLS 1.1 offered', versions({ 'TLSv1.1': true }), 'tls-versions-legacy-offered', 'fail'],
    ['no TLS 1.3', versions({ 'TLSv1.3': false }), 'tls-versions-without-tls13', 'warn'],
    ['TLS 1.3 untestable', versions({ 'TLSv1.3': null }), 'tls-versions-without-tls13', 'warn'],
    [
      'only legacy',
      versions({ TLSv1: true, 'TLSv1.2': false, 'TLSv1.3': false }),
      'tls-versions-legacy-only',
      'fail',
    ],
  ]);
});
