import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/engines.ts';
import { PublicScans } from '../../src/modules/public-scan/service.ts';
import { metrics } from '../../src/ops/metrics.ts';
import type { Report } from '../../src/scanner/types.ts';

async function scanCount(labels: Record<string, string>): Promise<number> {
  const { values } = await metrics.scanDuration.get();
  const match = (v: (typeof values)[number]) =>
    v.metricName === 'vioscan_scan_duration_seconds_count' &&
    Object.entries(labels).every(([k, val]) => (v.labels as Record<string, unknown>)[k] === val);
  return values.find(match)?.value ?? 0;
}

describe('scan duration metric', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('pglite');
  });
  afterAll(() => db.close());

  it('is observed by public scans with their outcome: ok, error, timeout', async () => {
    const before = {
      ok: await scanCount({ source: 'public', outcome: 'ok' }),
      error: await scanCount({ source: 'public', outcome: 'error' }),
      timeout: await scanCount({ source: 'public', outcome: 'timeout' }),
    };
    const report = (error?: { code: string; message: string }) => ({
      report: { target: 'http://127.0.0.1:9/', error } as unknown as Report,
    });
    const ok = new PublicScans(db, { allowPrivateTargets: true, scan: async () => report() });
    await ok.create('http://127.0.0.1:9/');
    const failed = new PublicScans(db, {
      allowPrivateTargets: true,
      scan: async () => report({ code: 'fetch_failed', message: 'refused' }),
    });
    await failed.create('http://127.0.0.1:9/');
    const slow = new PublicScans(db, {
      allowPrivateTargets: true,
      timeoutMs: 20,
      scan: () => new Promise(() => {}),
    });
    await expect(slow.create('http://127.0.0.1:9/')).rejects.toMatchObject({ code: 'unavailable' });

    expect(await scanCount({ source: 'public', outcome: 'ok' })).toBe(before.ok + 1);
    expect(await scanCount({ source: 'public', outcome: 'error' })).toBe(before.error + 1);
    expect(await scanCount({ source: 'public', outcome: 'timeout' })).toBe(before.timeout + 1);
  });
});
