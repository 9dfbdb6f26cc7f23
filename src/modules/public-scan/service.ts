import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/kysely.ts';
import { AppError } from '../../errors.ts';
import { metrics } from '../../ops/metrics.ts';
import { scan as runScan } from '../../scanner/index.ts';
import { checkTarget } from '../../scanner/gather/safe-fetch.ts';
import type { ScanOptions } from '../../scanner/index.ts';
import type { Report } from '../../scanner/types.ts';
import { EXPIRED_NOTICE_DAYS } from './retention.ts';

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
  /** The whole scan, every gatherer included. */
  timeoutMs?: number;
  now?: () => Date;
  /** Tests only: the scanner, so a slow scan can be simulated. */
  scan?: (url: string, options: ScanOptions) => Promise<{ report: Report }>;
}

export const PUBLIC_SCAN_RETENTION_MS = 60 * 60 * 1000;
const DEFAULT_TIMEOUT_MS = 60_000;

/** What is left of an expired report: enough to say so and offer the same scan again. */
export interface ExpiredScan {
  target: string;
  expiredAt: Date;
}

/**
 * Anonymous scans from the landing page. Reports are kept in the `public_scans` table for an
 * hour under an unguessable id, so a shared link works on every web process; nothing about the
 * visitor (no IP address, no user agent) is stored with them. When a report expires the
 * housekeeping job clears it and keeps only the scanned URL for a day; then the row is deleted
 * (src/modules/privacy/inventory.ts). The route's rate limit bounds how many there are.
 */
export class PublicScans {
  private readonly retentionMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => Date;

  constructor(
    private readonly db: Database,
    private readonly options: PublicScanOptions,
  ) {
    this.retentionMs = options.retentionMs ?? PUBLIC_SCAN_RETENTION_MS;
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
      return await this.keep(report);
    } finally {
      clearTimeout(timer);
      metrics.scanDuration.observe(
        { source: 'public', outcome },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    }
  }

  async get(id: string): Promise<PublicScanRecord | { expired: ExpiredScan } | undefined> {
    const row = await this.db.kysely
      .selectFrom('public_scans')
      .select(['id', 'target', 'report', 'created_at', 'expires_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    const now = this.now().getTime();
    if (row.expires_at.getTime() > now && row.report)
      return {
        id: row.id,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        report: row.report as Report,
      };
    if (row.expires_at.getTime() + EXPIRED_NOTICE_DAYS * 86_400_000 > now)
      return { expired: { target: row.target, expiredAt: row.expires_at } };
    return undefined;
  }

  private async keep(report: Report): Promise<PublicScanRecord> {
    const createdAt = this.now();
    const record = {
      id: randomBytes(16).toString('base64url'),
      createdAt,
      expiresAt: new Date(createdAt.getTime() + this.retentionMs),
      report,
    };
    await this.db.kysely
      .insertInto('public_scans')
      .values({
        id: record.id,
        target: report.target,
        report: JSON.stringify(report),
        created_at: createdAt,
        expires_at: record.expiresAt,
      })
      .execute();
    return record;
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
