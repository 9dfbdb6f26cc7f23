/**
 * Builders for check tests: `baseline()` is a site that passes every check; each test row
 * changes one thing with `withHeaders` / `set` and expects one outcome.
 */
import type { Artefacts, Headers, ResponseArtefact } from '../../../src/scanner/types.ts';

export const TARGET = 'https://example.test/';
export const NOW = new Date('2025-06-01T00:00:00Z');

export const GOOD_CSP =
  "default-src 'none'; script-src 'nonce-r4nd0mN0nc3v4lu3' 'strict-dynamic'; style-src 'self'; img-src 'self'; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

export function goodHeaders(): Headers {
  return {
    'content-type': ['text/html; charset=utf-8'],
    'strict-transport-security': ['max-age=63072000; includeSubDomains; preload'],
    'content-security-policy': [GOOD_CSP],
    'x-content-type-options': ['nosniff'],
    'x-frame-options': ['DENY'],
    'referrer-policy': ['strict-origin-when-cross-origin'],
    'permissions-policy': ['camera=(), microphone=(), geolocation=()'],
    'cross-origin-opener-policy': ['same-origin'],
    'cross-origin-resource-policy': ['same-origin'],
    'cross-origin-embedder-policy': ['require-corp'],
    'set-cookie': ['__Host-sid=abc; Path=/; Secure; HttpOnly; SameSite=Lax'],
    server: ['nginx'],
  };
}

function response(url: string, status: number, headers: Headers, body?: string): ResponseArtefact {
  return { url, status, headers, body, timingMs: 10 };
}

export function baseline(): Artefacts {
  const final = response(TARGET, 200, goodHeaders(), '<!doctype html><title>ok</title>');
  const httpHop = response('http://example.test/', 301, { location: [TARGET] });
  return {
    target: TARGET,
    page: { requestedUrl: TARGET, hops: [final], final },
    httpRedirect: { requestedUrl: 'http://example.test/', hops: [httpHop, final], final },
    tls: {
      host: 'example.test',
      port: 443,
      versions: { TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true },
      negotiatedVersion: 'TLSv1.3',
      cipher: 'TLS_AES_128_GCM_SHA256',
      certificate: {
        subject: 'CN=example.test',
        issuer: 'CN=Test CA',
        subjectAltNames: ['DNS:example.test'],
        validFrom: '2025-03-01T00:00:00Z',
        validTo: '2025-09-01T00:00:00Z',
        chainTrusted: true,
        hostnameMatches: true,
        keyType: 'EC',
        keyBits: 256,
        signatureAlgorithm: 'ecdsa-with-SHA256',
        selfSigned: false,
        fingerprints: {
          certSha256: 'cd'.repeat(32),
          certSha512: 'ef'.repeat(64),
          spkiSha256: CERT_SPKI_SHA256,
          spkiSha512: '01'.repeat(64),
        },
      },
    },
    html: {
      metaCsp: [],
      scripts: [
        { src: 'https://example.test/app.js' },
        {
          src: 'https://cdn.example.net/lib.js',
          integrity: 'sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC',
          crossorigin: 'anonymous',
        },
      ],
      stylesheets: [{ href: 'https://example.test/app.css' }],
      forms: [{ action: 'https://example.test/login', method: 'post', hasPassword: true }],
      subresources: [
        { url: 'https://example.test/app.js', kind: 'active', tag: 'script' },
        { url: 'https://example.test/logo.png', kind: 'passive', tag: 'img' },
      ],
    },
    securityTxt: {
      url: 'https://example.test/.well-known/security.txt',
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      finalUrl: 'https://example.test/.well-known/security.txt',
      body: [
        'Contact: mailto:security@example.test',
        'Expires: 2026-01-01T00:00:00Z',
        'Canonical: https://example.test/.well-known/security.txt',
        'Preferred-Languages: en',
      ].join('\n'),
    },
    cors: { origin: 'https://attacker.invalid', status: 200, headers: {} },
    exposedFiles: [
      { path: '/.git/HEAD', status: 404, contentType: 'text/html', snippet: 'not found' },
      { path: '/.env', status: 404, contentType: 'text/html', snippet: 'not found' },
    ],
    directoryListings: [
      { path: '/uploads/', status: 403, contentType: 'text/html', snippet: '<h1>Forbidden</h1>' },
      { path: '/images/', status: 404, contentType: 'text/html', snippet: 'not found' },
    ],
    trace: {
      path: '/',
      method: 'TRACE',
      status: 405,
      contentType: 'text/plain',
      snippet: 'Method Not Allowed',
    },
    tlsDetails: {
      host: 'example.test',
      port: 443,
      suites: {
        TLSv1: [],
        'TLSv1.1': [],
        'TLSv1.2': ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-CHACHA20-POLY1305'],
        'TLSv1.3': ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'],
      },
      incomplete: [],
      groups: ['x25519', 'secp256r1', 'secp384r1'],
      chain: [
        { subject: 'CN=example.test', issuer: 'CN=Test Intermediate' },
        { subject: 'CN=Test Intermediate', issuer: 'CN=Test Root' },
      ],
      chainOrdered: true,
      chainComplete: true,
      ocspStapled: true,
      compression: false,
      secureRenegotiation: true,
      untested: [],
      probes: 12,
    },
    dns: goodDns(),
    timings: { total: 100 },
  };
}

export const CERT_SPKI_SHA256 = 'ab'.repeat(32);

/** A domain that passes every domain check: signed, CAA, strict SPF, DMARC reject, MTA-STS enforce, TLS-RPT, DANE. */
export function goodDns(): NonNullable<Artefacts['dns']> {
  const txt = (name: string, records: string[]) => ({
    name,
    type: 'TXT',
    rcode: 'NOERROR',
    authenticated: true,
    records,
  });
  return {
    server: '127.0.0.1:53',
    host: 'example.test',
    domain: 'example.test',
    address: {
      name: 'example.test',
      type: 'A',
      rcode: 'NOERROR',
      authenticated: true,
      records: ['192.0.2.1'],
    },
    dnskey: {
      name: 'example.test',
      type: 'DNSKEY',
      rcode: 'NOERROR',
      authenticated: true,
      records: ['257 3 13'],
    },
    caa: [
      {
        name: 'example.test',
        type: 'CAA',
        rcode: 'NOERROR',
        authenticated: true,
        records: ['0 issue "letsencrypt.org"', '0 iodef "mailto:security@example.test"'],
      },
    ],
    mx: {
      name: 'example.test',
      type: 'MX',
      rcode: 'NOERROR',
      authenticated: true,
      records: ['10 mx.example.test.'],
    },
    txt: txt('example.test', ['google-site-verification=abc', 'v=spf1 mx -all']),
    dmarc: txt('_dmarc.example.test', ['v=DMARC1; p=reject; rua=mailto:dmarc@example.test']),
    mtaSts: txt('_mta-sts.example.test', ['v=STSv1; id=20250101']),
    tlsRpt: txt('_smtp._tls.example.test', ['v=TLSRPTv1; rua=mailto:tlsrpt@example.test']),
    tlsa: {
      name: '_443._tcp.example.test',
      type: 'TLSA',
      rcode: 'NOERROR',
      authenticated: true,
      records: [`3 1 1 ${CERT_SPKI_SHA256}`],
    },
    mtaStsPolicy: {
      url: 'https://mta-sts.example.test/.well-known/mta-sts.txt',
      status: 200,
      contentType: 'text/plain',
      body: 'version: STSv1\r\nmode: enforce\r\nmx: mx.example.test\r\nmax_age: 604800\r\n',
    },
  };
}

/** A copy of `a` whose final page response has `headers` merged in (undefined deletes a header). */
export function withHeaders(a: Artefacts, headers: Record<string, string[] | undefined>): Artefacts {
  const copy = structuredClone(a);
  const final = copy.page.final;
  if (!final) throw new Error('baseline has no final response');
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) delete final.headers[name];
    else final.headers[name] = value;
  }
  copy.page.hops[copy.page.hops.length - 1] = final;
  return copy;
}

/** A deep copy of the baseline changed by `mutate`. */
export function set(mutate: (a: Artefacts) => void, from: Artefacts = baseline()): Artefacts {
  const copy = structuredClone(from);
  mutate(copy);
  return copy;
}
