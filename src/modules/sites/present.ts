import type { Selectable } from 'kysely';
import type { SitesTable } from '../../db/types.ts';
import { DNS_LABEL, TXT_PREFIX, VERIFICATION_PATH } from './verify.ts';

export type SiteRow = Selectable<SitesTable>;
export interface TrendPoint {
  at: Date;
  grade: string;
  score: number;
  /** The privacy category's grade: null when the scan had no browser stage (or it could not grade). */
  privacyGrade: string | null;
  privacyScore: number | null;
}

/** Site row → API JSON, with the instructions to verify it. */
export function presentSite(site: SiteRow, trend: TrendPoint[] = []) {
  return {
    id: site.id,
    url: site.url,
    host: site.host,
    name: site.name,
    createdAt: site.created_at.toISOString(),
    schedule: site.schedule,
    verification: {
      verified: site.verified_at !== null,
      verifiedAt: site.verified_at?.toISOString() ?? null,
      method: (site.verified_by as 'dns' | 'file' | null) ?? null,
      token: site.verification_token,
      dns: {
        name: `${DNS_LABEL}.${site.host}`,
        type: 'TXT' as const,
        value: `${TXT_PREFIX}${site.verification_token}`,
      },
      file: { url: new URL(VERIFICATION_PATH, site.url).href, body: site.verification_token },
    },
    latestGrade: trend.at(-1)?.grade ?? null,
    trend: trend.map((p) => ({
      at: p.at.toISOString(),
      grade: p.grade,
      score: p.score,
      privacyGrade: p.privacyGrade,
      privacyScore: p.privacyScore,
    })),
  };
}
