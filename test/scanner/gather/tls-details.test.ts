/**
 * Raw ClientHello probing against loopback Node TLS servers configured as data: the suites
 * found are exactly those configured, the code-point table agrees with the local OpenSSL, weak
 * DH groups, chain order and completeness are read from what the server really sends.
 */
import { createDiffieHellmanGroup } from 'node:crypto';
import tls from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/scanner/analyze.ts';
import { LEGACY_SUITES, suiteById } from '../../../src/scanner/data/cipher-suites.ts';
import { gatherTlsDetails } from '../../../src/scanner/gather/tls-details.ts';
import { sendHello } from '../../../src/scanner/gather/tls-hello.ts';
import { createSafeFetcher } from '../../../src/scanner/gather/safe-fetch.ts';
import { gather } from '../../../src/scanner/gather/index.ts';
import { disposeTestPki } from '../../sites/pki.ts';
import { startTestSite, type RunningSite, type TestSiteSpec } from '../../sites/site.ts';

const sites: RunningSite[] = [];
afterAll(async () => {
  await Promise.all(sites.map((s) => s.close()));
  await disposeTestPki();
});

async function probe(spec: TestSiteSpec, trustTestCa = true) {
  const site = await startTestSite(spec);
  sites.push(site);
  const fetcher = createSafeFetcher({ allowPrivate: true, ...(trustTestCa && { ca: [site.pki.caPem] }) });
  try {
    return (await gatherTlsDetails(new URL(site.httpsUrl!), fetcher))!;
  } finally {
    await fetcher.close();
  }
}

/** PEM DHParameters (PKCS #3: SEQUENCE { prime INTEGER, base INTEGER }) for the 1024-bit RFC 2409 group. */
function weakDhParams(): string {
  const int = (b: Buffer) => {
    const v = b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b;
    return Buffer.concat([Buffer.from([0x02, 0x81, v.length]), v]);
  };
  const dh = createDiffieHellmanGroup('modp2');
  const body = Buffer.concat([int(dh.getPrime()), Buffer.from([0x02, 0x01, 0x02])]);
  const der = Buffer.concat([Buffer.from([0x30, 0x81, body.length]), body]);
  return `-----BEGIN DH PARAMETERS-----\n${der.toString('base64')}\n-----END DH PARAMETERS-----\n`;
}

describe('TLS details (raw ClientHellos)', () => {
  it('finds exactly the TLS 1.2 suites a server is configured with, and nothing for refused versions', async () => {
    const d = await probe({
      tls: 'ec',
      tlsVersions: { max: 'TLSv1.2' },
      ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-SHA',
    });
    expect(new Set(d.suites['TLSv1.2'])).toEqual(
      new Set(['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-SHA']),
    );
    expect(d.suites['TLSv1.3']).toEqual([]);
    expect(d.suites.TLSv1).toEqual([]);
    expect(d.incomplete).toEqual([]);
    expect(d).toMatchObject({ compression: false, secureRenegotiation: true, ocspStapled: false });
    expect(d.chain?.map((c) => c.subject)).toEqual(['CN=localhost', 'CN=VIOscan Test CA']);
    expect(d).toMatchObject({ chainOrdered: true, chainComplete: true });
  });

  it('every suite the local OpenSSL can serve has the code point the table gives it', async () => {
    const local = new Set(tls.getCiphers().map((c) => c.toUpperCase()));
    const servable = LEGACY_SUITES.filter((s) => local.has(s.openssl) && s.openssl.startsWith('ECDHE-RSA'));
    expect(servable.length).toBeGreaterThan(4);
    for (const suite of servable) {
      const site = await startTestSite({ tlsVersions: { max: 'TLSv1.2' }, ciphers: suite.openssl });
      sites.push(site);
      const r = await sendHello(
        '127.0.0.1',
        site.httpsPort!,
        { version: 'TLSv1.2', suites: LEGACY_SUITES.map((s) => s.id) },
        3000,
      );
      expect(suiteById(r.suite!)?.openssl).toBe(suite.openssl);
    }
  });

  it('reads TLS 1.3 suites and groups from HelloRetryRequests; chain details are marked untested', async () => {
    const d = await probe({ tlsVersions: { min: 'TLSv1.3' } });
    expect(d.suites['TLSv1.2']).toEqual([]);
    expect(d.suites['TLSv1.3']).toEqual(
      expect.arrayContaining(['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384']),
    );
    expect(d.groups).toEqual(expect.arrayContaining(['x25519', 'secp256r1']));
    expect(d.chain).toBeUndefined();
    expect(d.untested.join(' ')).toContain('TLS 1.3 only');
  });

  it('names exactly the TLS 1.3 groups accepted, without asking again for the one the first hello found', async () => {
    const d = await probe({ tlsVersions: { min: 'TLSv1.3' }, groups: 'X25519:P-384' });
    expect(d.groups).toEqual(['x25519', 'secp384r1']);
    expect(d.suites['TLSv1.3']).toHaveLength(3);
    // TLS 1.0, 1.1 and 1.2 refused (3), TLS 1.3: one hello offering all, two found, one refusal (4),
    // then one HelloRetryRequest per group but the one the first answer named (6 of 7).
    expect(d.probes).toBe(13);
  });

  it('insecure and non-standard suites share one chain of hellos but are listed group by group', async () => {
    // The server prefers the non-standard suite over the insecure one: the shared chain finds
    // CAMELLIA first, the list still names the insecure group first (the server's first choice leads).
    const d = await probe({
      tlsVersions: { max: 'TLSv1.2' },
      ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:CAMELLIA256-SHA:NULL-SHA256:@SECLEVEL=0',
    });
    expect(d.suites['TLSv1.2']).toEqual(['ECDHE-RSA-AES128-GCM-SHA256', 'NULL-SHA256', 'CAMELLIA256-SHA']);
    // TLS 1.0, 1.1, 1.3 refused (3); TLS 1.2: the first hello, the two suites it did not pick, one
    // refusal per chain of elimination (four chains): 1 + 2 + 4 = 7.
    expect(d.probes).toBe(10);
    expect(d.incomplete).toEqual([]);
  });

  it('a group that reaches its budget leaves the shared chain: the insecure suites are still found', async () => {
    // Every suite Node's OpenSSL has: more non-standard ones than one group may find.
    const d = await probe({
      tlsVersions: { max: 'TLSv1.2' },
      ciphers: 'ALL:eNULL:@SECLEVEL=0',
      dhparam: weakDhParams(),
    });
    expect(d.suites['TLSv1.2']).toEqual(expect.arrayContaining(['NULL-SHA256', 'NULL-SHA', 'NULL-MD5']));
    expect(d.incomplete).toEqual(['TLSv1.2']);
  });

  it('measures the DH prime of a DHE server (1024 bits: weak)', async () => {
    const d = await probe({
      tlsVersions: { max: 'TLSv1.2' },
      ciphers: 'DHE-RSA-AES128-GCM-SHA256',
      dhparam: weakDhParams(),
    });
    expect(d.suites['TLSv1.2']).toEqual(['DHE-RSA-AES128-GCM-SHA256']);
    expect(d.dhBits).toBe(1024);
  });

  it('sees a missing intermediate (leaf only, issuer not trusted) and a certificate out of order', async () => {
    expect(await probe({ chain: 'leaf-only' }, false)).toMatchObject({
      chainOrdered: true,
      chainComplete: false,
    });
    expect(await probe({ chain: 'misordered' })).toMatchObject({ chainOrdered: false });
    // Control: the same leaf alone is complete when its issuer is a trusted root.
    expect(await probe({ chain: 'leaf-only' })).toMatchObject({ chainOrdered: true, chainComplete: true });
  });

  it('a full scan of a Node-default server names its old and non-standard suites; an intermediate one passes', async () => {
    const defaults = await startTestSite({});
    const intermediate = await startTestSite({
      ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305',
    });
    sites.push(defaults, intermediate);
    const outcome = async (site: RunningSite) => {
      const a = await gather(site.url, { allowPrivate: true, ca: [site.pki.caPem] });
      const report = analyze(a, {
        startedAt: new Date().toISOString(),
        finishedAt: new Date().toISOString(),
      });
      return report.checks.find((c) => c.id === 'tls-cipher-suites')!;
    };
    const bad = await outcome(defaults);
    expect(bad.outcome).toBe('tls-cipher-suites-old');
    expect(bad.evidence).toContain('AES128-SHA');
    expect((await outcome(intermediate)).outcome).toBe('tls-cipher-suites-intermediate');
  });
});
