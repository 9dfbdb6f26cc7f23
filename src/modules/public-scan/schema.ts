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

export const PublicScan = Type.Object({
  id: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  report: ReportBody,
});
