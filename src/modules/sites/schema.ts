import { Type } from '@sinclair/typebox';

const Id = Type.String({ maxLength: 64 });
export const OrgParams = Type.Object({ orgId: Id });
export const SiteParams = Type.Object({ orgId: Id, siteId: Id });

const Address = Type.String({
  minLength: 1,
  maxLength: 2048,
  description: 'https://example.com, or a bare host (example.com, example.com:8080) tried as https then http',
});
const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
export const SiteBody = Type.Object({ url: Address, name: Type.Optional(Name) });
export const SitePatch = Type.Object(
  { url: Type.Optional(Address), name: Type.Optional(Name) },
  { minProperties: 1 },
);
export const VerifyBody = Type.Object({ method: Type.Union([Type.Literal('dns'), Type.Literal('file')]) });

export const Verification = Type.Object({
  verified: Type.Boolean(),
  verifiedAt: Type.Union([Type.String(), Type.Null()]),
  method: Type.Union([Type.Literal('dns'), Type.Literal('file'), Type.Null()]),
  token: Type.String(),
  dns: Type.Object({ name: Type.String(), type: Type.Literal('TXT'), value: Type.String() }),
  file: Type.Object({ url: Type.String(), body: Type.String() }),
});

export const Site = Type.Object({
  id: Type.String(),
  url: Type.String(),
  host: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  schedule: Type.Union([Type.String(), Type.Null()]),
  verification: Verification,
  latestGrade: Type.Union([Type.String(), Type.Null()]),
  /** Grades of the latest successful scans, oldest first (the sparkline and the grade history). */
  trend: Type.Array(
    Type.Object({
      at: Type.String(),
      grade: Type.String(),
      score: Type.Number(),
      /** The privacy grade: null for a scan without the browser stage. */
      privacyGrade: Type.Union([Type.String(), Type.Null()]),
      privacyScore: Type.Union([Type.Number(), Type.Null()]),
    }),
  ),
  /** After adding or changing: which address was taken and why (a bare host, a new host). */
  notice: Type.Optional(Type.String()),
});
export const SiteList = Type.Object({ sites: Type.Array(Site) });
export const ScheduleBody = Type.Object({
  schedule: Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()], {
    description: 'daily, weekly, a 5-field cron expression (UTC, at most hourly), or null to stop',
  }),
});

const ThirdPartyChange = Type.Object({
  company: Type.String({
    description: 'From the owner map; the registrable domain when the owner is not known',
  }),
  purpose: Type.String(),
  tracker: Type.Boolean(),
  domains: Type.Array(Type.String()),
});
export const ThirdPartyHistory = Type.Object({
  /** The site's latest browser scans, newest first. */
  scans: Type.Array(
    Type.Object({
      scanId: Type.String(),
      at: Type.String(),
      thirdParties: Type.Integer(),
      trackers: Type.Integer(),
      first: Type.Boolean({
        description: 'No browser scan before it: `appeared` lists everything it saw',
      }),
      appeared: Type.Array(ThirdPartyChange),
      disappeared: Type.Array(ThirdPartyChange),
    }),
  ),
});
