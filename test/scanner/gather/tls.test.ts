/**
 * TLS gatherer against loopback servers with the generated PKI: versions offered, certificate
 * facts (trust, hostname, expiry, key, signature, self-signed), and failures as artefact errors.
 */
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSafeFetcher, type SafeFetcher } from '../../../src/scanner/gather/safe-fetch.ts';
import { signatureAlgorithmOf } from '../../../src/scanner/gather/tls-cert.ts';
import { gatherTls, tlsEndpoint } from '../../../src/scanner/gather/tls.ts';
import { closedPort, startTestSite, type RunningSite } from '../../sites/site.ts';
import { disposeTestPki } from '../../sites/pki.ts';
import { X509Certificate } from 'node:crypto';

const sites: Record<string, RunningSite> = {};
let fetcher: SafeFetcher;

beforeAll(async () => {
  const [valid, tls12, legacy, expired, wrongHost, selfSigned, ec] = await Promise.all([
    startTestSite({ tls: 'valid' }),
    startTestSite({ tls: 'valid', tlsVersions: { max: 'TLSv1.2' } }),
    startTestSite({ tls: 'valid', tlsVersions: { min: 'TLSv1' }, ciphers: 'DEFAULT@SECLEVEL=0' }),
    startTestSite({ tls: 'expired' }),
    startTestSite({ tls: 'wrong-host' }),
    startTestSite({ tls: 'self-signed' }),
    startTestSite({ tls: 'ec' }),
  ]);
  Object.assign(sites, { valid, tls12, legacy, expired, wrongHost, selfSigned, ec });
  fetcher = createSafeFetcher({ allowPrivate: true, ca: [valid!.pki.caPem] });
});

afterAll(async () => {
  await fetcher.close();
  await Promise.all(Object.values(sites).map((s) => s.close()));
  await disposeTestPki();
});

const probe = (name: string) => gatherTls(new URL(sites[name]!.url), fetcher);

describe('protocol versions', () => {
  it('a default Node server offers TLS 1.2 and 1.3 only', async () => {
    const tls = await probe('valid');
    expect(tls?.versions).toEqual({ TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true });
    expect(tls?.negotiatedVersion).toBe('TLSv1.3');
    expect(tls?.error).toBeUndefined();
  });

  it('a TLS 1.2-only server does not offer 1.3', async () => {
    const tls = await probe('tls12');
    expect(tls?.versions['TLSv1.2']).toBe(true);
    expect(tls?.versions['TLSv1.3']).toBe(false);
    expect(tls?.negotiatedVersion).toBe('TLSv1.2');
  });

  it('a server allowing TLS 1.0 is caught offering it (or reported untestable, never "refused")', async () => {
    const tls = await probe('legacy');
    // true where the local OpenSSL can speak TLS 1.0 at SECLEVEL=0; null where it cannot even try.
    expect([true, null]).toContain(tls?.versions.TLSv1);
    expect([true, null]).toContain(tls?.versions['TLSv1.1']);
    expect(tls?.versions['TLSv1.3']).toBe(true);
  });
});

describe("the page's own connection", () => {
  const versions = async () => ({ TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true });

  it.each(['valid', 'expired', 'wrongHost', 'selfSigned', 'ec'])(
    '%s: the facts of the first handshake the page made, the same as a handshake of its own',
    async (name) => {
      const url = new URL(sites[name]!.url);
      const ca = [sites.valid!.pki.caPem];
      const fresh = createSafeFetcher({ allowPrivate: true, ca });
      // A bad certificate is retried without verification, as a scan does: that connection is the one read.
      const scanning = createSafeFetcher({ allowPrivate: true, ca, untrustedCertificates: 'continue' });
      const connect = vi.spyOn(tls, 'connect');
      try {
        const own = await gatherTls(url, fresh, { versions });
        // Control: with no connection of the page's, the gatherer dials.
        expect(connect).toHaveBeenCalled();
        const page = await scanning.request(url.href);
        expect(page).not.toHaveProperty('error');
        connect.mockClear();
        const reused = await gatherTls(url, scanning, { versions });
        expect(connect).not.toHaveBeenCalled();
        expect(reused).toEqual(own);
        expect(reused?.certificate?.subject).toBeTruthy();
      } finally {
        connect.mockRestore();
        await Promise.all([fresh.close(), scanning.close()]);
      }
    },
  );

  it('without the raw probes, or for another port, it makes its own handshake', async () => {
    const url = new URL(sites.valid!.url);
    const scanning = createSafeFetcher({ allowPrivate: true, ca: [sites.valid!.pki.caPem] });
    const connect = vi.spyOn(tls, 'connect');
    try {
      await scanning.request(url.href);
      expect(scanning.tlsConnection(url.hostname, Number(url.port))).toBeDefined();
      expect(scanning.tlsConnection(url.hostname, Number(url.port) + 1)).toBeUndefined();
      connect.mockClear();
      expect((await gatherTls(url, scanning))?.certificate?.chainTrusted).toBe(true);
      expect(connect).toHaveBeenCalled();
    } finally {
      connect.mockRestore();
      await scanning.close();
    }
  });
});

describe('certificate facts', () => {
  it('a valid chain from the test CA', async () => {
    const cert = (await probe('valid'))?.certificate;
    expect(cert).toMatchObject({
      subject: 'CN=localhost',
      issuer: 'CN=VIOscan Test CA',
      chainTrusted: true,
      hostnameMatches: true,
      keyType: 'rsa',
      keyBits: 2048,
      signatureAlgorithm: 'ecdsa-with-SHA256',
      selfSigned: false,
    });
    expect(cert?.subjectAltNames).toContain('IP Address:127.0.0.1');
    expect(Date.parse(cert!.validTo)).toBeGreaterThan(Date.now());
  });

  it('an expired certificate', async () => {
    const cert = (await probe('expired'))?.certificate;
    expect(cert?.chainTrusted).toBe(false);
    expect(cert?.chainError).toBe('CERT_HAS_EXPIRED');
    expect(Date.parse(cert!.validTo)).toBeLessThan(Date.now());
  });

  it('a certificate for another host', async () => {
    const cert = (await probe('wrongHost'))?.certificate;
    expect(cert?.hostnameMatches).toBe(false);
    expect(cert?.subjectAltNames).toEqual(['DNS:wrong.example']);
  });

  it('a self-signed certificate', async () => {
    const cert = (await probe('selfSigned'))?.certificate;
    expect(cert?.selfSigned).toBe(true);
    expect(cert?.chainTrusted).toBe(false);
    expect(cert?.chainError).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('an EC key', async () => {
    const cert = (await probe('ec'))?.certificate;
    expect(cert?.keyType).toBe('ec');
    expect(cert?.keyBits).toBe(256);
  });

  it('reads the signature algorithm OID from DER, and survives garbage', () => {
    const der = new X509Certificate(sites.valid!.pki.leaves.selfSigned.cert).raw;
    expect(signatureAlgorithmOf(der)).toBe('ecdsa-with-SHA256');
    expect(signatureAlgorithmOf(Buffer.from([0x30, 0x82, 0xff]))).toBe('unknown');
    expect(signatureAlgorithmOf(Buffer.alloc(0))).toBe('unknown');
  });
});

describe('failures and policy', () => {
  it('a closed port is an artefact error, not a throw', async () => {
    const port = await closedPort();
    const tls = await gatherTls(new URL(`https://127.0.0.1:${port}/`), fetcher);
    expect(tls?.error).toEqual({
      code: 'connect_failed',
      message: `connection to 127.0.0.1:${port} refused`,
    });
    expect(tls?.versions).toEqual({ TLSv1: null, 'TLSv1.1': null, 'TLSv1.2': null, 'TLSv1.3': null });
  });

  it('goes through the SSRF guard: loopback is refused without allowPrivate', async () => {
    const strict = createSafeFetcher({});
    const tls = await gatherTls(new URL(sites.valid!.url), strict);
    await strict.close();
    expect(tls?.error?.code).toBe('target_not_allowed');
    expect(tls?.certificate).toBeUndefined();
  });

  it('probes port 443 for a default-port http:// target and nothing for other plain ports', () => {
    expect(tlsEndpoint(new URL('http://example.com/x'))).toEqual({ host: 'example.com', port: 443 });
    expect(tlsEndpoint(new URL('https://example.com:8443/'))).toEqual({ host: 'example.com', port: 8443 });
    expect(tlsEndpoint(new URL('http://example.com:8080/'))).toBeUndefined();
  });
});
