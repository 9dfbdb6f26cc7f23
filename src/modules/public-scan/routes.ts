import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { Type } from '@sinclair/typebox';
import type { ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import { AppError } from '../../errors.ts';
import type { RouteModule } from '../../http/module.ts';
import { errorResponses } from '../../http/schemas.ts';
import { EvidenceBytes } from '../scans/schema.ts';
import { sendEvidence } from '../scans/evidence.ts';
import {
  PublicScan,
  PublicScanParams,
  PublicScanRequest,
  PublicScreenshotParams,
  ReportFormatQuery,
} from './schema.ts';
import { PublicScans, presentPublicScan, type PublicScanOptions } from './service.ts';
import { PUBLIC_BROWSER_SCAN_QUEUE, publicBrowserJobOptions } from '../../jobs/public-browser-scan.ts';
import { announceJob } from '../../jobs/wake.ts';
import type { ModuleContext } from '../../http/module.ts';

const tags = ['public-scans'];

const downloads = {
  json: { type: 'application/json; charset=utf-8', ext: 'json' },
  md: { type: 'text/markdown; charset=utf-8', ext: 'md' },
  html: { type: 'text/html; charset=utf-8', ext: 'html' },
  sarif: { type: 'application/sarif+json; charset=utf-8', ext: 'sarif' },
} as const;

/** Per client IP: a scan costs dozens of outbound requests, so anonymous use is kept small. */
export const PUBLIC_SCAN_LIMIT = { max: 5, timeWindow: 10 * 60_000 };

/**
 * Scans without an account (the landing page). `publicScans` lets a test swap the scanner or
 * the clock. Reports live in the database, so any web process answers any link.
 */
export function publicScanRoutes(overrides: Partial<PublicScanOptions> = {}): RouteModule {
  return async (app, { config, db, jobs, publicScans }) => {
    const enqueueBrowser = await browserQueue(config, db, jobs);
    const scans = new PublicScans(db, {
      allowPrivateTargets: config.allowPrivateTargets,
      ...(enqueueBrowser && { enqueueBrowser }),
      ...publicScans,
      ...overrides,
    });
    const find = async (id: string) => {
      const found = await scans.get(id);
      if (found && 'expired' in found)
        throw new AppError('report_expired', undefined, {
          target: found.expired.target,
          expiredAt: found.expired.expiredAt.toISOString(),
        });
      if (!found) throw new AppError('not_found', 'This report does not exist or has expired; scan again.');
      return found;
    };
    app.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store');
    });

    app.post(
      '/api/v1/public-scans',
      {
        config: { access: 'public', rateLimit: PUBLIC_SCAN_LIMIT },
        schema: {
          tags,
          summary: 'Scan a URL without an account; the report stays available for an hour',
          body: PublicScanRequest,
          response: { 201: PublicScan, ...errorResponses },
        },
      },
      async (request, reply) =>
        reply.status(201).send(presentPublicScan(await scans.create(request.body.url, request.ip))),
    );

    app.get(
      '/api/v1/public-scans/:id',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'A recent public scan',
          params: PublicScanParams,
          response: { 200: PublicScan, ...errorResponses },
        },
      },
      async (request) => presentPublicScan(await find(request.params.id)),
    );

    app.get(
      '/api/v1/public-scans/:id/screenshots/:visit',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'The first-view screenshot of one browser visit of a recent public scan (JPEG)',
          params: PublicScreenshotParams,
          produces: ['image/jpeg'],
          response: { 200: EvidenceBytes, ...errorResponses },
        },
      },
      async (request, reply) => {
        const { id, visit } = request.params;
        await find(id);
        const bytes = await scans.screenshot(id, visit);
        if (!bytes) throw new AppError('not_found', 'This report has no screenshot of that visit.');
        return sendEvidence(reply, { mime: 'image/jpeg', bytes }, `vioscan-${id}-${visit}.jpg`);
      },
    );

    app.get(
      '/api/v1/public-scans/:id/report',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'Download a recent public scan report as JSON, Markdown, HTML or SARIF',
          params: PublicScanParams,
          querystring: ReportFormatQuery,
          produces: Object.values(downloads).map((d) => d.type.split(';')[0]!),
          response: { 200: Type.String(), ...errorResponses },
        },
      },
      async (request, reply) => {
        const record = await find(request.params.id);
        const format = request.query.format;
        const { type, ext } = downloads[format];
        const host = safeName(record.report.target);
        // The renderers (and the check registry behind SARIF) load with the first download, not at start.
        const { render } = await import('../../scanner/report/index.ts');
        // Always a download: an HTML report rendered from hostile evidence is never shown inline here.
        return reply
          .type(type)
          .header('content-disposition', `attachment; filename="vioscan-${host}.${ext}"`)
          .send(render(record.report, format));
      },
    );
  };
}

/**
 * Anonymous scans get the browser stage when browser scans are on (BROWSER_SCANS), have slots
 * (PUBLIC_BROWSER_SCAN_CONCURRENCY > 0), Chromium is there (CHROMIUM_PATH) and this process can
 * enqueue; the stage runs in the worker (src/jobs/public-browser-scan.ts), woken by the
 * announcement rather than its next poll.
 */
async function browserQueue(
  config: ResolvedConfig,
  db: Database,
  jobs: ModuleContext['jobs'],
): Promise<PublicScanOptions['enqueueBrowser']> {
  const boss = jobs.boss;
  if (!config.browserScans || config.publicBrowserScanConcurrency === 0 || !boss) return undefined;
  const chromium = await access(config.chromiumPath, constants.X_OK).then(
    () => true,
    () => false,
  );
  if (!chromium) return undefined;
  return async (publicScanId) => {
    await boss.send(PUBLIC_BROWSER_SCAN_QUEUE, { publicScanId }, publicBrowserJobOptions(config));
    // An idle worker takes it now rather than at its next poll (src/jobs/wake.ts).
    await announceJob(db, PUBLIC_BROWSER_SCAN_QUEUE);
  };
}

function safeName(target: string): string {
  try {
    return new URL(target).hostname.replace(/[^A-Za-z0-9.-]/g, '_').slice(0, 64) || 'report';
  } catch {
    return 'report';
  }
}

export default publicScanRoutes();
