import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.ts';
import { PublicScans } from '../../../src/modules/public-scan/service.ts';
import type { Report } from '../../../src/scanner/types.ts';

const report = (target: string) => ({ target, grade: 'B', findings: [] }) as unknown as Report;

describe('public scan store', () => {
  it('forgets a report once its retention has passed, and says for a day that it expired', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const scans = new PublicScans({
      allowPrivateTargets: true,
      retentionMs: 60_000,
      now: () => now,
      scan: async (url) => ({ report: report(url) }),
    });
    const record = await scans.create('http://127.0.0.1/');
    expect(scans.get(record.id)).toMatchObject({ report: { target: 'http://127.0.0.1/' } });
    now = new Date('2026-01-01T00:01:00Z');
    expect(scans.get(record.id)).toEqual({
      expired: { target: 'http://127.0.0.1/', expiredAt: new Date('2026-01-01T00:01:00Z') },
    });
    now = new Date('2026-01-02T00:01:00Z');
    expect(scans.get(record.id)).toBeUndefined();
  });

  it('keeps at most maxKept reports, dropping the oldest', async () => {
    const scans = new PublicScans({
      allowPrivateTargets: true,
      maxKept: 2,
      scan: async (url) => ({ report: report(url) }),
    });
    const first = await scans.create('http://127.0.0.1/a');
    const second = await scans.create('http://127.0.0.1/b');
    const third = await scans.create('http://127.0.0.1/c');
    expect(scans.get(first.id)).toBeUndefined();
    expect(scans.get(second.id)).toBeDefined();
    expect(scans.get(third.id)).toBeDefined();
  });

  it('gives up on a scan that does not finish in time with unavailable', async () => {
    const scans = new PublicScans({
      allowPrivateTargets: true,
      timeoutMs: 10,
      scan: () => new Promise(() => {}),
    });
    const failure = await scans.create('http://127.0.0.1/').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe('unavailable');
  });

  it('refuses a target the scanner itself refused at connect time', async () => {
    const scans = new PublicScans({
      allowPrivateTargets: true,
      scan: async (url) => ({
        report: { ...report(url), error: { code: 'target_not_allowed', message: 'x' } },
      }),
    });
    await expect(scans.create('http://127.0.0.1/')).rejects.toMatchObject({ code: 'target_not_allowed' });
  });
});
