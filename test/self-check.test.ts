import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.ts';
import { listen, type Listening } from '../src/http/server.ts';
import { scan, type ScanResult } from '../src/scanner/index.ts';
import { freePort } from './helpers/cli.ts';
import { createTestDatabase, engines, type TestDatabase } from './helpers/engines.ts';
import { testPki, writeLeafFiles } from './sites/pki.ts';
import { testConfig } from './http/app-helpers.ts';

const RANK = { info: 0, low: 1, medium: 2, high: 3, critical: 4 } as const;

/** DESIGN §1: VIOscan scanning its own deployment comes out with the best grade and no findings. */
describe.each(engines)('VIOscan scans itself (%s)', (engine) => {
  let db: TestDatabase;
  let server: Listening;
  let result: ScanResult;

  beforeAll(async () => {
    const [port, redirectPort] = [await freePort(), await freePort()];
    const pki = await testPki();
    const files = await writeLeafFiles('valid', mkdtempSync(path.join(tmpdir(), 'vioscan-self-')));
    const config = testConfig({
      HOST: '127.0.0.1',
      PORT: String(port),
      BASE_URL: `https://localhost:${port}`,
      TLS_CERT_FILE: files.certFile,
      TLS_KEY_FILE: files.keyFile,
      HTTP_REDIRECT_PORT: String(redirectPort),
    });
    db = await createTestDatabase(engine);
    const app = await buildApp({ config, db, jobs: { ping: async () => {} } });
    server = await listen(app, config);
    result = await scan(`https://localhost:${port}/`, {
      allowPrivate: true,
      ca: [pki.caPem],
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
