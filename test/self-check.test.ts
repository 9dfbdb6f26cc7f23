import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.ts';
import { listen, type Listening } from '../src/http/server.ts';
import { scan, type ScanResult } from '../src/scanner/index.ts';
import { createTestDatabase, engines, type TestDatabase } from './helpers/engines.ts';
import { testConfig } from './http/app-helpers.ts';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Our own CA and a 90-day leaf (the shared test leaf lives 3 days and would be flagged as
 * expiring soon); the scanner trusts the CA through its `ca` option.
 */
async function serverCert(): Promise<{ cert: string; key: string; caPem: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vioscan-self-'));
  const run = (args: string[]) => promisify(execFile)('openssl', args, { cwd: dir });
  const caDir = dir;
  await run([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '30',
    '-subj',
    '/CN=VIOscan self-check CA',
  ]);
  const [cert, key, csr] = ['self.pem', 'self.key', 'self.csr'].map((f) => path.join(dir, f)) as [
    string,
    string,
    string,
  ];
  await run([
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    key,
    '-out',
    csr,
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ]);
  await run([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    path.join(caDir, 'ca.pem'),
    '-CAkey',
    path.join(caDir, 'ca.key'),
    '-CAcreateserial',
    '-CAserial',
    path.join(dir, 'ca.srl'),
    '-days',
    '90',
    '-sha256',
    '-copy_extensions',
    'copy',
    '-out',
    cert,
  ]);
  return { cert, key, caPem: await readFile(path.join(dir, 'ca.pem'), 'utf8') };
}

const RANK = { info: 0, low: 1, medium: 2, high: 3, critical: 4 } as const;

/** DESIGN §1: VIOscan scanning its own deployment comes out with the best grade and no findings. */
describe.each(engines)('VIOscan scans itself (%s)', (engine) => {
  let db: TestDatabase;
  let server: Listening;
  let result: ScanResult;

  beforeAll(async () => {
    const [port, redirectPort] = [await freePort(), await freePort()];
    const tls = await serverCert();
    const config = testConfig({
      HOST: '127.0.0.1',
      PORT: String(port),
      BASE_URL: `https://localhost:${port}`,
      TLS_CERT_FILE: tls.cert,
      TLS_KEY_FILE: tls.key,
      HTTP_REDIRECT_PORT: String(redirectPort),
    });
    db = await createTestDatabase(engine);
    const app = await buildApp({ config, db, jobs: { ping: async () => {} } });
    server = await listen(app, config);
    result = await scan(`https://localhost:${port}/`, {
      allowPrivate: true,
      ca: [tls.caPem],
      plainHttpPort: redirectPort,
    });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it('gets the best grade', () => {
    expect(result.report.grade).toBe('A+');
  });

  it('has no finding of low severity or above', () => {
    const findings = result.report.findings.filter((f) => RANK[f.severity] >= RANK.low);
    expect(findings.map((f) => `${f.severity} ${f.checkId}: ${f.title}`)).toEqual([]);
  });

  it('passes its own security.txt check', () => {
    const check = result.report.checks.find((c) => c.id === 'security-txt');
    expect(check?.status).toBe('pass');
  });
});
