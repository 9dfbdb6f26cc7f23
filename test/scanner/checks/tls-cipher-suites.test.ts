import { describe, expect, it } from 'vitest';
import { tlsCipherSuites } from '../../../src/scanner/checks/tls-cipher-suites.ts';
import type { TlsVersion } from '../../../src/scanner/types.ts';
import { NOW, set } from '../helpers/artefacts.ts';
import { checkTable } from '../helpers/check-table.ts';

const suites = (v: Partial<Record<TlsVersion, string[]>>, incomplete: TlsVersion[] = []) =>
  set((a) => {
    a.tlsDetails!.suites = { ...a.tlsDetails!.suites, ...v };
    a.tlsDetails!.incomplete = incomplete;
  });

describe('tls-cipher-suites', () => {
  checkTable(tlsCipherSuites, 'tls-cipher-suites-intermediate', [
    [
      'RC4 in TLS 1.2',
      suites({ 'TLSv1.2': ['ECDHE-RSA-AES128-GCM-SHA256', 'RC4-SHA'] }),
      'tls-cipher-suites-insecure',
      'fail',
    ],
    ['export suite in TLS 1.0', suites({ TLSv1: ['EXP-RC4-MD5'] }), 'tls-cipher-suites-insecure', 'fail'],
    ['anonymous DH', suites({ 'TLSv1.2': ['ADH-AES128-SHA'] }), 'tls-cipher-suites-insecure', 'fail'],
    [
      'no forward secrecy',
      suites({ 'TLSv1.2': ['ECDHE-RSA-AES128-GCM-SHA256', 'AES128-GCM-SHA256'] }),
      'tls-cipher-suites-old',
      'fail',
    ],
    ['CBC with SHA-1', suites({ 'TLSv1.2': ['ECDHE-RSA-AES128-SHA'] }), 'tls-cipher-suites-old', 'fail'],
    ['3DES is old, not insecure', suites({ 'TLSv1.2': ['DES-CBC3-SHA'] }), 'tls-cipher-suites-old', 'fail'],
    [
      'ARIA is outside the profiles',
      suites({ 'TLSv1.2': ['ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ARIA128-GCM-SHA256'] }),
      'tls-cipher-suites-nonstandard',
      'warn',
    ],
    ['TLS 1.3 only', suites({ 'TLSv1.2': [] }), 'tls-cipher-suites-modern', 'pass'],
    [
      'intermediate suites over TLS 1.1 are old',
      suites({ 'TLSv1.1': ['ECDHE-RSA-AES128-SHA'] }),
      'tls-cipher-suites-old',
      'fail',
    ],
  ]);

  it('names every weak suite and the version, and says when the list may go on', () => {
    const a = suites({ 'TLSv1.2': ['ECDHE-RSA-AES128-GCM-SHA256', 'AES128-SHA', 'RC4-MD5'] }, ['TLSv1.2']);
    const r = tlsCipherSuites.run(a, { now: NOW });
    expect(r.findings.map((f) => f.evidence)).toEqual([
      'TLS 1.2: RC4-MD5 (no forward secrecy, not AEAD, broken cipher or MAC)',
      'TLS 1.2: AES128-SHA (no forward secrecy, not AEAD)',
    ]);
    expect(r.evidence).toContain('(and possibly more)');
  });
});
