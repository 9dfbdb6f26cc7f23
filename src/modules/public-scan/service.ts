import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../db/kysely.ts';
import type { PublicBrowserStatus } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import { hit } from '../../http/rate-limit-store.ts';
import { metrics } from '../../ops/metrics.ts';
import { checkTarget, type Resolver } from '../../scanner/gather/guard.ts';
import type { ScanOptions } from '../../scanner/index.ts';
import { VISIT_KINDS, type VisitKind } from '../../scanner/browser/types.ts';
import type { Artefacts, Report } from '../../scanner/types.ts';
import { failBrowserScan, queuePosition } from './browser-queue.ts';
import { EXPIRED_NOTICE_DAYS } from './retention.ts';

/** Where the browser stage (privacy and accessibility) of a public scan stands. */
export type PublicBrowserState =
  | { status: 'off' }
  | { status: 'queued'; position: number }
  | { status: 'running' | 'done' }
  | { status: 'failed'; error: { code: string; message: string } };

export interface PublicScanRecord {
  id: string;
  createdAt: Date;
  expiresAt: Date;
  report: Report;
  browser: PublicBrowserState;
  /** The browser visits whose first-view screenshot is kept (GET …/screenshots/:visit). */
  screenshots: VisitKind[];
}

/**
 * Per client IP, on top of the route's limit for every public scan: a browser stage holds a Chromium
 * for up to SCAN_TIMEOUT_S, so one visitor may start only a few an hour.
 */
export const PUBLIC_BROWSER_SCAN_LIMIT = { max: 3, windowMs: 60 * 60_000 };

export interface PublicScanOptions {
  allowPrivateTargets: boolean;
  /** How long a report stays downloadable. */
  retentionMs?: number;
  /** The whole scan, every gatherer included. */
  timeoutMs?: number;
  now?: () => Date;
  /**
   * Present when this instance runs anonymous browser scans (routes.ts decides): queues the browser
   * stage of a stored scan (the public-browser-scan job).
   */
  enqueueBrowser?: (publicScanId: string) => Promise<void>;
  /** Tests only: the scanner, so a slow scan can be simulated. */
  scan?: (url: string, options: ScanOptions) => Promise<{ report: Report; artefacts?: Artefacts }>;
  /** Tests only: resolves the fixture sites' names for the target check and the scanner. */
  resolver?: Resolver;
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
 * With `enqueueBrowser`, the browser stage follows in the worker (browser-stage.ts): the passive
 * artefacts wait in the row and the queue state lives there too, so any process can say where it stands.
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

  /** `clientIp` counts against the per-IP limit of browser scans; it is not stored with the scan. */
  async create(url: string, clientIp = 'unknown'): Promise<PublicScanRecord> {
    const allowPrivate = this.options.allowPrivateTargets;
    const resolver = this.options.resolver;
    const checked = await checkTarget(url, { allowPrivate, ...(resolver && { resolver }) });
    if (!checked.ok) {
      if (checked.error.code === 'invalid_url')
        throw new AppError('validation_failed', undefined, [
          { path: 'body.url', message: checked.error.message },
        ]);
      if (checked.error.code === 'target_not_allowed') throw new AppError('target_not_allowed');
    }
    if (this.options.enqueueBrowser) await this.countBrowserScan(clientIp);
    // The scanner loads with the first public scan rather than at start-up (issue 16).
    const scanner = this.options.scan ?? (await import('../../scanner/index.ts')).scan;
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
      const { report, artefacts } = await Promise.race([
        scanner(url, {
          allowPrivate,
          timeouts: { totalMs: Math.min(20_000, this.timeoutMs) },
          ...(resolver && { resolver }),
        }),
        timeout,
      ]);
      outcome = report.error ? 'error' : 'ok';
      // A rebinding name can pass the check above and be refused at connect time.
      if (report.error?.code === 'target_not_allowed') throw new AppError('target_not_allowed');
      return await this.keep(report, this.options.enqueueBrowser && artefacts);
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
      .select(['id', 'target', 'report', 'created_at', 'expires_at', 'browser_status', 'browser_error'])
      .select(sql<string[] | null>`array(select jsonb_object_keys(screenshots))`.as('screenshot_visits'))
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
        browser: await this.browserState(row),
        screenshots: VISIT_KINDS.filter((kind) => row.screenshot_visits?.includes(kind)),
      };
    if (row.expires_at.getTime() + EXPIRED_NOTICE_DAYS * 86_400_000 > now)
      return { expired: { target: row.target, expiredAt: row.expires_at } };
    return undefined;
  }

  /** A visit's screenshot (JPEG) while the report is readable; expired or unknown reports throw as `get` says. */
  async screenshot(id: string, visit: VisitKind): Promise<Buffer | undefined> {
    const row = await this.db.kysely
      .selectFrom('public_scans')
      .select(sql<string | null>`screenshots ->> ${visit}`.as('base64'))
      .where('id', '=', id)
      .where('expires_at', '>', this.now())
      .executeTakeFirst();
    return row?.base64 ? Buffer.from(row.base64, 'base64') : undefined;
  }

  private async browserState(row: {
    id: string;
    browser_status: PublicBrowserStatus | null;
    browser_error: unknown;
  }): Promise<PublicBrowserState> {
    switch (row.browser_status) {
      case null:
        return { status: 'off' };
      case 'queued': {
        const position = await queuePosition(this.db, row.id);
        // Taken by a worker between the two reads: it is running now.
        return position === undefined ? { status: 'running' } : { status: 'queued', position };
      }
      case 'failed':
        return { status: 'failed', error: row.browser_error as { code: string; message: string } };
      default:
        return { status: row.browser_status };
    }
  }

  /** The per-IP limit of browser scans, counted before anything is fetched (429 rate_limited). */
  private async countBrowserScan(clientIp: string): Promise<void> {
    const { max, windowMs } = PUBLIC_BROWSER_SCAN_LIMIT;
    const counted = await hit(this.db, `public-browser|${clientIp}`, windowMs);
    if (counted.current > max)
      throw new AppError(
        'rate_limited',
        `At most ${max} scans with the browser visits per hour from one address; retry later.`,
        { limit: max, retryAfterSeconds: Math.ceil(counted.ttl / 1000) },
      );
  }

  /**
   * Stores the passive report at once. With `artefacts` (the browser stage is on), they wait beside
   * it for the browser stage, which is queued; a page that could not be fetched gets no browser visit.
   */
  private async keep(report: Report, artefacts?: Artefacts): Promise<PublicScanRecord> {
    const createdAt = this.now();
    const browser: PublicBrowserState = !artefacts
      ? { status: 'off' }
      : report.error
        ? { status: 'failed', error: SKIPPED }
        : { status: 'queued', position: 0 };
    const record: PublicScanRecord = {
      id: randomBytes(16).toString('base64url'),
      createdAt,
      expiresAt: new Date(createdAt.getTime() + this.retentionMs),
      report,
      browser,
      screenshots: [],
    };
    await this.db.kysely
      .insertInto('public_scans')
      .values({
        id: record.id,
        target: report.target,
        report: JSON.stringify(report),
        created_at: createdAt,
        expires_at: record.expiresAt,
        browser_status: browser.status === 'off' ? null : browser.status === 'failed' ? 'failed' : 'queued',
        ...(browser.status === 'failed' && { browser_error: JSON.stringify(browser.error) }),
        ...(browser.status === 'queued' && { artefacts: JSON.stringify(artefacts) }),
      })
      .execute();
    if (browser.status !== 'queued') return record;
    try {
      await this.options.enqueueBrowser!(record.id);
    } catch {
      await failBrowserScan(this.db, record.id, UNQUEUED);
      return { ...record, browser: { status: 'failed', error: UNQUEUED } };
    }
    return {
      ...record,
      browser: await this.browserState({ ...record, browser_status: 'queued', browser_error: null }),
    };
  }
}

const SKIPPED = {
  code: 'browser_skipped',
  message: 'The browser visits were skipped because the page could not be fetched.',
};
const UNQUEUED = { code: 'browser_unavailable', message: 'The browser visits could not be queued.' };

export function presentPublicScan(record: PublicScanRecord) {
  return {
    id: record.id,
    createdAt: record.createdAt.toISOString(),
    expiresAt: record.expiresAt.toISOString(),
    report: record.report,
    browser: record.browser,
    screenshots: record.screenshots,
  };
}
