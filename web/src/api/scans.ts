import type { Report, ReportFormat } from './types.ts';
import { request } from './http.ts';
import { orgPath } from './orgs.ts';
import type { Scan, ScanBody, ScanList } from './service-types.ts';

const scanPath = (orgId: string, scanId: string, rest = '') =>
  orgPath(orgId, `/scans/${encodeURIComponent(scanId)}${rest}`);

export const scansApi = {
  list: (orgId: string, siteId?: string, limit = 20) =>
    request<ScanList>(
      'GET',
      orgPath(orgId, `/scans?limit=${limit}${siteId ? `&siteId=${encodeURIComponent(siteId)}` : ''}`),
    ),
  get: (orgId: string, scanId: string) => request<Scan>('GET', scanPath(orgId, scanId)),
  /** Queues a scan; without `active` the server decides (active on a verified site, docs/service.md). */
  create: (orgId: string, siteId: string, active?: boolean) =>
    request<Scan>(
      'POST',
      orgPath(orgId, '/scans'),
      (active === undefined ? { siteId } : { siteId, active }) satisfies ScanBody,
    ),
  cancel: (orgId: string, scanId: string) => request<Scan>('POST', scanPath(orgId, scanId, '/cancel'), {}),
  report: (orgId: string, scanId: string) => request<Report>('GET', scanPath(orgId, scanId, '/report')),
  download: (orgId: string, scanId: string, format: ReportFormat) =>
    scanPath(orgId, scanId, `/report?format=${format}`),
  evidenceBundle: (orgId: string, scanId: string) => scanPath(orgId, scanId, '/evidence-bundle'),
  evidence: (orgId: string, scanId: string, name: string) =>
    scanPath(orgId, scanId, `/evidence/${encodeURIComponent(name)}`),
};

/** Scans in these states will not change any more. */
export const isFinished = (scan: Scan): boolean =>
  scan.status === 'succeeded' || scan.status === 'failed' || scan.status === 'cancelled';
