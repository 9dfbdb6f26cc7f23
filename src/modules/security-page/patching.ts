import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/kysely.ts';
import { advisoryStatus, type AdvisoryStatus } from '../advisories/repo.ts';
import type { Fact } from './schema.ts';
import { fact } from './sections.ts';

const PINNED =
  'Dependencies are pinned by package-lock.json and every build carries a CycloneDX software bill of materials (staff: /api/v1/system/sbom).';

function openCounts(status: AdvisoryStatus): string {
  const { critical, high, medium, low } = status.open;
  const overdue = status.overdue ? `; ${status.overdue} past its remediation deadline` : '';
  return `Open advisories: ${critical} critical, ${high} high, ${medium} medium, ${low} low${overdue}.`;
}

/**
 * The "Patching" statement, from the daily advisory check (src/jobs/dependency-audit.ts). A check
 * that could not reach OSV is said as such, with the last one that did: "no advisories" is only
 * claimed from an answer.
 */
export function patchingFact(status: AdvisoryStatus): Fact {
  const last = status.lastCheck;
  if (!last)
    return fact(
      'Patching',
      `${PINNED} The daily check against the OSV vulnerability database has not run yet.`,
      'warning',
    );
  const day = last.at.toISOString();
  if (!last.ok) {
    const since = status.lastSuccessAt
      ? `The last successful check was ${status.lastSuccessAt.toISOString()}. ${openCounts(status)}`
      : 'No check has reached it yet.';
    return fact(
      'Patching',
      `${PINNED} The last daily advisory check (${day}) could not reach the advisory source (${last.source}): dependencies were not checked. ${since}`,
      'warning',
    );
  }
  return fact(
    'Patching',
    `${PINNED} Checked daily against the OSV vulnerability database: the last check (${day}) succeeded for ${last.packages} packages. ${openCounts(status)}`,
    status.overdue ? 'warning' : 'live',
  );
}

export async function patchingFactFrom(db: Database, log: FastifyBaseLogger): Promise<Fact> {
  try {
    return patchingFact(await advisoryStatus(db));
  } catch (error) {
    log.warn({ err: error }, 'security page: advisory state unavailable');
    return fact('Patching', `${PINNED} The advisory check state could not be read right now.`, 'warning');
  }
}
