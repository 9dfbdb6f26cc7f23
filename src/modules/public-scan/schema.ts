import { Type } from '@sinclair/typebox';
import type { Report } from '../../scanner/types.ts';

export const PublicScanRequest = Type.Object({
  url: Type.String({ minLength: 1, maxLength: 2048, description: 'The http(s) URL to scan' }),
});

export const PublicScanParams = Type.Object({
  id: Type.String({ pattern: '^[A-Za-z0-9_-]{16,64}$', description: 'The public scan id' }),
});

export const ReportFormatQuery = Type.Object({
  format: Type.Union(
    [Type.Literal('json'), Type.Literal('md'), Type.Literal('html'), Type.Literal('sarif')],
    {
      default: 'json',
    },
  ),
});

/** The report as schemas/report.schema.json describes it; passed through unchanged. */
const ReportBody = Type.Unsafe<Report>({
  type: 'object',
  additionalProperties: true,
  description: 'The scan report (schemas/report.schema.json)',
});

const Visit = Type.Union([Type.Literal('none'), Type.Literal('reject'), Type.Literal('gpc')], {
  description:
    'A browser visit: none (no interaction), reject (after rejecting consent), gpc (Global Privacy Control)',
});

const BrowserError = Type.Object({ code: Type.String(), message: Type.String() });

/** The browser stage (privacy and accessibility): poll the scan until it is `done` or `failed`. */
export const PublicBrowserState = Type.Union(
  [
    Type.Object({ status: Type.Literal('off') }, { description: 'No browser stage on this instance' }),
    Type.Object(
      { status: Type.Literal('queued'), position: Type.Integer({ minimum: 1 }) },
      { description: 'Waiting for a free browser; 1 is next' },
    ),
    Type.Object({ status: Type.Literal('running') }, { description: 'The browser visits are running' }),
    Type.Object(
      { status: Type.Literal('done') },
      { description: 'The report now has its privacy and accessibility sections' },
    ),
    Type.Object(
      { status: Type.Literal('failed'), error: BrowserError },
      { description: 'The passive report stands alone; `error` says why' },
    ),
  ],
  { description: 'Where the browser stage (privacy and accessibility) stands' },
);

export const PublicScan = Type.Object({
  id: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  report: ReportBody,
  browser: PublicBrowserState,
  screenshots: Type.Array(Visit, {
    description:
      'Browser visits whose first-view screenshot is kept: GET /api/v1/public-scans/{id}/screenshots/{visit}',
  }),
});

export const PublicScreenshotParams = Type.Object({
  id: PublicScanParams.properties.id,
  visit: Visit,
});
