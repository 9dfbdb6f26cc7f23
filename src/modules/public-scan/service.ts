import { randomBytes } from 'node:crypto';
import { AppError } from '../../errors.ts';
import { metrics } from '../../ops/metrics.ts';
import { scan as runScan } from '../../scanner/index.ts';
import { checkTarget } from '../../scanner/gather/safe-fetch.ts';
import type { ScanOptions } from '../../scanner/index.ts';
import type { Report } from '../../scanner/types.ts';

export interface PublicScanRecord {
  id: string;
  createdAt: Date;
  expiresAt: Date;
  report: Report;
}

export interface PublicScanOptions {
  allowPrivateTargets: boolean;
  /** How long a report stays downloadable. */
  retentionMs?: number;
  /** At most this many reports are kept; the oldest goes first. */
  maxKept?: number;
  /** The whole scan, every gatherer included. */
  timeoutMs?: number;
  now?: () => Date;
  /** Tests only: the scanner, so a slow scan can be simulated. */
  scan?: (url: string, options: ScanOptions) => Promise<{ report: Report }>;
}

export const PUBLIC_SCAN_RETENTION_MS = 60 * 60 * 1000;
const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Anonymous scans from the landing page. Reports live in this process's memory only, for an
 * hour at most and a hundred at most: an anonymous visitor gets a link to share for a while,
 * and nothing about them is written to the database. (With several web processes a link is only
 * answered by the process that ran the scan; signed-in scans are stored, see the scans module.)
 */
/** What is left of an expired report: enough to say so and offer the same scan again. */
export interface ExpiredScan {
  target: string;
  expiredAt: Date;
}
const EXPIRED_KEPT_MS = 24 * 60 * 60 * 1000;
const MAX_EXPIRED = 1000;

export class PublicScans {
  private readonly reports = new Map<string, PublicScanRecord>();
  /** Expired reports' ids for a day, so their link says "expired" rather than "unknown". */
  private readonly expired = new Map<string, ExpiredScan>();
  private readonly retentionMs: number;
  private readonly maxKept: number;
  private readonly timeoutMs: number;
  private readonly now: () => Date;

  constructor(private readonly options: PublicScanOptions) {
    this.retentionMs = options.retentionMs ?? PUBLIC_SCAN_RETENTION_MS;
    this.maxKept = options.maxKept ?? 100;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.now = options.now ?? (() => new Date());
  }

  async create(url: string): Promise<PublicScanRecord> {
    const allowPrivate = this.options.allowPrivateTargets;
    const checked = await checkTarget(url, { allowPrivate });
    if (!checked.ok) {
      if (checked.error.code === 'invalid_url')
        throw new AppError('validation_failed', undefined, [
          { path: 'body.url', message: checked.error.message },
        ]);
      if (checked.error.code === 'target_not_allowed') throw new AppError('target_not_allowed');
    }
    const scanner = this.options.scan ?? runScan;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new AppError('unavailable', 'The scan did not finish in time; try again later.')),
        this.timeoutMs,
      );
    });
    const started = process.hrtime.bigint();
    let outcome = 'timeout';
    try {
      const { report } = await Promise.race([
        scanner(url, { allowPrivate, timeouts: { totalMs: Math.min(20_000, this.timeoutMs) } }),
        timeout,
      ]);
      outcome = report.error ? 'error' : 'ok';
      // A rebinding name can pass the check above and be refused at connect time.
      if (report.error?.code === 'target_not_allowed') throw new AppError('target_not_allowed');
      return this.keep(report);
    } finally {
      clearTimeout(timer);
      metrics.scanDuration.observe(
        { source: 'public', outcome },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    }
  }

  get(id: string): PublicScanRecord | { expired: ExpiredScan } | undefined {
    this.purge();
    const record = this.reports.get(id);
    if (record) return record;
    const expired = this.expired.get(id);
    return expired ? { expired } : undefined;
  }

  private keep(report: Report): PublicScanRecord {
    this.purge();
    const createdAt = this.now();
    const record = {
      id: randomBytes(16).toString('base64url'),
      createdAt,
      expiresAt: new Date(createdAt.getTime() + this.retentionMs),
      report,
    };
    this.reports.set(record.id, record);
    while (this.reports.size > this.maxKept) {
      const oldest = this.reports.keys().next().value as string;
      this.reports.delete(oldest);
    }
    return record;
  }

  private purge(): void {
    const now = this.now().getTime();
    for (const [id, record] of this.reports) {
      if (record.expiresAt.getTime() > now) continue;
      this.reports.delete(id);
      this.expired.set(id, { target: record.report.target, expiredAt: record.expiresAt });
    }
    for (const [id, gone] of this.expired)
      if (gone.expiredAt.getTime() + EXPIRED_KEPT_MS <= now || this.expired.size > MAX_EXPIRED)
        this.expired.delete(id);
  }
}

export function presentPublicScan(record: PublicScanRecord) {
  return {
    id: record.id,
    createdAt: record.createdAt.toISOString(),
    expiresAt: record.expiresAt.toISOString(),
    report: record.report,
  };
}
