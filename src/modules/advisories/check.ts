import {
  AdvisorySourceError,
  fetchAdvisories,
  queryAdvisoryIds,
  type LockedPackage,
  type OsvRecord,
} from './osv.ts';
import { advisorySeverity, type AdvisorySeverity, type SeveritySource } from './severity.ts';

/** One advisory affecting one locked package version. */
export interface DependencyAdvisory {
  advisoryId: string;
  package: string;
  version: string;
  severity: AdvisorySeverity;
  severitySource: SeveritySource;
  score: number | null;
  summary: string;
  aliases: string[];
  /** Versions that fix it, from the record's ranges (empty: no fix published). */
  fixedIn: string[];
}

export type AdvisoryCheck =
  | { ok: true; source: string; packages: number; advisories: DependencyAdvisory[] }
  | { ok: false; source: string; packages: number; error: string };

/** The parts of an npm lock file (package-lock.json, npm-shrinkwrap.json; lockfileVersion 2 and 3) read here. */
export interface NpmLockfile {
  packages?: Record<string, { name?: string; version?: string; dev?: boolean; link?: boolean }>;
}

const NODE_MODULES = 'node_modules/';

/**
 * The registry packages a lock file installs in production, once each: every `node_modules/…`
 * entry not marked `dev` (optional ones included: they are installed where they can be). Links
 * (the vendored stand-ins under bench/) are not on the registry, so no advisory database knows them.
 * Read from the lock rather than the SBOM: the same list (scripts/sbom.js narrows npm's SBOM by
 * it), without running npm in a production install.
 */
export function lockedPackages(lock: NpmLockfile): LockedPackage[] {
  const seen = new Map<string, LockedPackage>();
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    const at = path.lastIndexOf(NODE_MODULES);
    if (at < 0 || entry.dev || entry.link || !entry.version) continue;
    const name = entry.name ?? path.slice(at + NODE_MODULES.length);
    seen.set(`${name}@${entry.version}`, { name, version: entry.version });
  }
  return [...seen.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version),
  );
}

function fixedVersions(record: OsvRecord, name: string): string[] {
  const fixed = (record.affected ?? [])
    .filter((a) => a.package?.name === name)
    .flatMap((a) => a.ranges ?? [])
    .flatMap((r) => r.events)
    .map((e) => e.fixed)
    .filter((v): v is string => typeof v === 'string');
  return [...new Set(fixed)];
}

const text = (value: unknown, max: number) => (typeof value === 'string' ? value.slice(0, max) : '');

/**
 * Asks the OSV API which advisories affect these packages and rates each. Never throws for the
 * source: an unreachable or misbehaving OSV is `ok: false` with the reason, so callers say
 * "not checked" instead of "no advisories".
 */
export async function checkAdvisories(osvUrl: string, packages: LockedPackage[]): Promise<AdvisoryCheck> {
  const source = new URL(osvUrl).origin;
  try {
    const ids = await queryAdvisoryIds(osvUrl, packages);
    const records = await fetchAdvisories(osvUrl, [...new Set(ids.flat())]);
    const advisories = packages.flatMap((pkg, i) =>
      ids[i]!.map((id): DependencyAdvisory => {
        const record = records.get(id)!;
        const rated = advisorySeverity(record, pkg.name);
        return {
          advisoryId: id,
          package: pkg.name,
          version: pkg.version,
          severity: rated.severity,
          severitySource: rated.source,
          score: rated.score,
          summary: text(record.summary, 300) || text(record.details, 300),
          aliases: (record.aliases ?? []).filter((a) => typeof a === 'string').slice(0, 20),
          fixedIn: fixedVersions(record, pkg.name).slice(0, 20),
        };
      }),
    );
    return { ok: true, source, packages: packages.length, advisories };
  } catch (error) {
    if (!(error instanceof AdvisorySourceError)) throw error;
    return { ok: false, source, packages: packages.length, error: error.message.slice(0, 500) };
  }
}

/** Where people read an advisory: OSV's page for it, whichever OSV_URL answered the query. */
export const advisoryUrl = (id: string) => `https://osv.dev/vulnerability/${encodeURIComponent(id)}`;
