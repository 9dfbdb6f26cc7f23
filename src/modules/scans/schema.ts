import { Type } from '@sinclair/typebox';

const Id = Type.String({ maxLength: 64 });
export const OrgParams = Type.Object({ orgId: Id });
export const ScanParams = Type.Object({ orgId: Id, scanId: Id });
/** The file's bytes (fastify sends a Buffer as is; the schema only documents it). */
export const EvidenceBytes = Type.Unsafe<Buffer>({ type: 'string', format: 'binary' });
export const EvidenceParams = Type.Object({
  orgId: Id,
  scanId: Id,
  name: Type.String({ pattern: '^[A-Za-z0-9._-]{1,120}$' }),
});
export const ScanBody = Type.Object({
  siteId: Id,
  active: Type.Optional(
    Type.Boolean({
      description:
        'Run the active checks (exposed files, directory listings, TRACE). Default: true for a verified site, ' +
        'false otherwise; true on an unverified site is refused (403 site_not_verified).',
    }),
  ),
  browser: Type.Optional(
    Type.Boolean({
      description:
        'Also open the site in a real browser (privacy and accessibility checks). Default: true while the ' +
        'plan’s browser scans last; true beyond them is refused (402 quota_exceeded).',
    }),
  ),
});
export const ScanStatusSchema = Type.Union([
  Type.Literal('queued'),
  Type.Literal('running'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
]);
export const ScanQuery = Type.Object({
  siteId: Type.Optional(Id),
  status: Type.Optional(ScanStatusSchema),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

export const Scan = Type.Object({
  id: Type.String(),
  siteId: Type.String(),
  target: Type.String(),
  status: ScanStatusSchema,
  progress: Type.Integer({ minimum: 0, maximum: 100 }),
  source: Type.Union(
    [
      Type.Literal('ui'),
      Type.Literal('schedule'),
      Type.Literal('api_token'),
      Type.Literal('cli'),
      Type.Literal('api'),
    ],
    { description: 'Who started it: the web app, a schedule, an API token, the CLI (api: an older scan)' },
  ),
  /** Email of the member who asked for it (the token's owner for a token); null for a schedule. */
  requestedBy: Type.Union([Type.String(), Type.Null()]),
  /** Whether the active checks run (verified sites only). */
  active: Type.Boolean(),
  /** Whether the browser stage runs (privacy and accessibility), as the plan allows. */
  browser: Type.Boolean(),
  /** Evidence files kept with the scan (screenshots, cookie jars), by name. */
  evidence: Type.Optional(Type.Array(Type.String())),
  createdAt: Type.String(),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  grade: Type.Union([Type.String(), Type.Null()]),
  score: Type.Union([Type.Number(), Type.Null()]),
  /** A failed scan: the scanner's code, a plain-language message, and the technical detail. */
  error: Type.Union([
    Type.Object({ code: Type.String(), message: Type.String(), detail: Type.String() }),
    Type.Null(),
  ]),
  /** Findings this scan saw compared with the previous one (present once it succeeded). */
  diff: Type.Optional(
    Type.Object({
      new: Type.Integer(),
      fixed: Type.Integer(),
      regressed: Type.Integer(),
      persisting: Type.Integer(),
    }),
  ),
});
export const ScanList = Type.Object({ scans: Type.Array(Scan) });
export const Usage = Type.Object({
  plan: Type.String(),
  limits: Type.Object({
    sites: Type.Integer(),
    scansPerMonth: Type.Integer(),
    browserScansPerMonth: Type.Integer(),
    scheduledBrowserScans: Type.Boolean(),
  }),
  used: Type.Object({
    sites: Type.Integer(),
    scansPerMonth: Type.Integer(),
    browserScansPerMonth: Type.Integer(),
  }),
});
