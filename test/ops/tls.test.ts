import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, freePort, startCli } from '../helpers/cli.ts';
import { disposeTestPki, testPki, writeLeafFiles, type TestPki } from '../sites/pki.ts';

type Version = 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

/** A client pinned to one protocol version; SECLEVEL=0 lets OpenSSL 3 even try TLS 1.1. */
function handshake(port: number, version: Version, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      ca,
      minVersion: version,
      maxVersion: version,
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    socket.once('secureConnect', () => {
      const negotiated = socket.getProtocol() ?? 'unknown';
      socket.end();
      resolve(negotiated);
    });
    socket.once('error', reject);
  });
}

describe('native HTTPS', () => {
  let pki: TestPki;
  let port: number;
  let redirectPort: number;
  let server: { child: ChildProcess; output: () => string };

  beforeAll(async () => {
    pki = await testPki();
    const tmp = mkdtempSync(path.join(tmpdir(), 'vioscan-tls-'));
    const files = await writeLeafFiles('valid', tmp);
    port = await freePort();
    redirectPort = await freePort();
    server = await startCli(
      ['serve'],
      {
        DATA_DIR: path.join(tmp, 'data'),
        PORT: String(port),
        TLS_CERT_FILE: files.certFile,
        TLS_KEY_FILE: files.keyFile,
        HTTP_REDIRECT_PORT: String(redirectPort),
        BASE_URL: `https://localhost:${port}`,
        LOG_LEVEL: 'info',
      },
      /VIOscan listening on/,
      90_000,
    );
  }, 120_000);

  afterAll(async () => {
    server.child.kill('SIGTERM');
    await exited(server.child);
    await disposeTestPki();
  });

  it('refuses a TLS 1.1 handshake', async () => {
    await expect(handshake(port, 'TLSv1.1', pki.caPem)).rejects.toThrow(
      /protocol version|unsupported protocol|wrong version/i,
    );
  });

  it('the same TLS 1.1 client can handshake with a server that allows it (the refusal is ours)', async () => {
    const permissive = tls.createServer(
      { ...pki.leaves.valid, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' },
      (s) => s.end(),
    );
    await new Promise<void>((r) => permissive.listen(0, '127.0.0.1', r));
    try {
      expect(await handshake((permissive.address() as { port: number }).port, 'TLSv1.1', pki.caPem)).toBe(
        'TLSv1.1',
      );
    } finally {
      permissive.close();
    }
  });

  it.each(['TLSv1.2', 'TLSv1.3'] as const)('accepts %s', async (version) => {
    expect(await handshake(port, version, pki.caPem)).toBe(version);
  });

  it('serves the API over HTTPS with HSTS', async () => {
    const response = await new Promise<{ status: number; hsts: string | undefined }>((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: pki.caPem }, () => {
        socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
      });
      let raw = '';
      socket.on('data', (d) => (raw += d.toString()));
      socket.on('end', () =>
        resolve({
          status: Number(raw.split(' ')[1]),
          hsts: /strict-transport-security: ([^\r]+)/i.exec(raw)?.[1],
        }),
      );
      socket.on('error', reject);
    });
    expect(response.status).toBe(200);
    expect(response.hsts).toMatch(/max-age=\d{8,}/);
  });

  it('redirects plain HTTP to BASE_URL, never to the Host header', async () => {
    const response = await fetch(`http://127.0.0.1:${redirectPort}/status?x=1`, {
      redirect: 'manual',
      headers: { host: 'evil.example' },
    });
    expect(response.status).toBe(308);
    expect(response.headers.get('location')).toBe(`https://localhost:${port}/status?x=1`);
  });
});
