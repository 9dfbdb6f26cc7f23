/**
 * "Third parties over time" on the site page (issue 13): for each of a site's recent browser scans,
 * which third parties (a company with one purpose, as the report groups them) appeared and which
 * went away compared with the browser scan before it. A scan whose browser stage failed is left out:
 * it saw nothing, and everything would read as gone and then back.
 */
import { sql } from 'kysely';
import type { Database } from '../../db/kysely.ts';
import type { PrivacyThirdParty } from '../../scanner/types.ts';
import { thirdPartyKey } from '../alerts/privacy-changes.ts';

export interface ThirdPartyChange {
  company: string;
  purpose: string;
  tracker: boolean;
  domains: string[];
}

export interface ThirdPartiesAt {
  scanId: string;
  at: string;
  thirdParties: number;
  trackers: number;
  /** The oldest scan listed with no browser scan before it: everything it saw is its starting point. */
  first: boolean;
  appeared: ThirdPartyChange[];
  disappeared: ThirdPartyChange[];
}

export interface ScanThirdParties {
  scanId: string;
  at: Date;
  parties: PrivacyThirdParty[];
}

const change = (t: PrivacyThirdParty): ThirdPartyChange => ({
  company: t.company,
  purpose: t.purpose,
  tracker: t.tracker,
  domains: t.domains,
});
const missingFrom = (list: PrivacyThirdParty[], other: PrivacyThirdParty[]) => {
  const seen = new Set(other.map(thirdPartyKey));
  return list.filter((t) => !seen.has(thirdPartyKey(t))).map(change);
};

/**
 * Scans oldest first in, newest first out. With `baseline` the oldest scan given is only the
 * comparison point of the next one (the history was cut there), not listed itself.
 */
export function thirdPartyHistory(scans: ScanThirdParties[], baseline: boolean): ThirdPartiesAt[] {
  const out: ThirdPartiesAt[] = [];
  scans.forEach((scan, i) => {
    if (baseline && i === 0) return;
    const previous = scans[i - 1];
    out.push({
      scanId: scan.scanId,
      at: scan.at.toISOString(),
      thirdParties: scan.parties.length,
      trackers: scan.parties.filter((t) => t.tracker).length,
      first: previous === undefined,
      appeared: previous ? missingFrom(scan.parties, previous.parties) : scan.parties.map(change),
      disappeared: previous ? missingFrom(previous.parties, scan.parties) : [],
    });
  });
  return out.reverse();
}

/** The site's latest `limit` browser scans that graded privacy, newest first, each against the one before. */
export async function thirdPartiesOverTime(
  db: Database,
  siteId: string,
  limit = 12,
): Promise<ThirdPartiesAt[]> {
  // The cheap columns pick the rows; only those reports are read.
  const rows = await db.kysely
    .selectFrom('scans')
    .select([
      'id',
      'finished_at',
      sql<string | null>`(report::jsonb -> 'privacy' -> 'thirdParties')::text`.as('parties'),
      sql<boolean>`(report::jsonb -> 'privacy' -> 'error') is not null`.as('failed'),
    ])
    .where('site_id', '=', siteId)
    .where('status', '=', 'succeeded')
    .where('privacy_grade', 'is not', null)
    .orderBy('finished_at', 'desc')
    .limit(limit + 1)
    .execute();
  const scans = rows
    .filter((r) => r.parties !== null && !r.failed)
    .map((r) => ({
      scanId: r.id,
      at: r.finished_at!,
      parties: JSON.parse(r.parties!) as PrivacyThirdParty[],
    }))
    .reverse();
  return thirdPartyHistory(scans, rows.length > limit);
}
