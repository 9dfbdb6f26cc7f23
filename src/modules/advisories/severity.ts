import cvss from 'ae-cvss-calculator';
import type { OsvRecord } from './osv.ts';

/** The four levels that carry a remediation target (src/scanner/grade/score-table.ts). */
export type AdvisorySeverity = 'critical' | 'high' | 'medium' | 'low';
export type SeveritySource = 'cvss_v4' | 'cvss_v3' | 'cvss_v2' | 'database' | 'unrated';

export interface RatedSeverity {
  severity: AdvisorySeverity;
  source: SeveritySource;
  /** The CVSS base score, when the severity came from a vector. */
  score: number | null;
}

/**
 * FIRST's qualitative scale: CVSS v3.x and v4.0 §5 (none 0, low 0.1–3.9, medium 4–6.9, high
 * 7–8.9, critical 9–10); v2 has no critical band (NVD: high 7–10). A 0.0 advisory is still low.
 */
export function cvssSeverity(score: number, version: 2 | 3 | 4): AdvisorySeverity {
  if (score >= 9 && version !== 2) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return 'low';
}

/** GitHub's advisory database says MODERATE where CVSS says medium. */
const databaseLevels: Record<string, AdvisorySeverity> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MODERATE: 'medium',
  MEDIUM: 'medium',
  LOW: 'low',
};

const vectorTypes = [
  ['CVSS_V4', 4, 'cvss_v4'],
  ['CVSS_V3', 3, 'cvss_v3'],
  ['CVSS_V2', 2, 'cvss_v2'],
] as const;

function baseScore(vector: string): number | null {
  try {
    const score = (
      cvss.fromVector(vector) as { calculateScores(): { base?: number } } | undefined
    )?.calculateScores().base;
    return typeof score === 'number' && Number.isFinite(score) ? score : null;
  } catch {
    return null;
  }
}

/**
 * An OSV record's severity for one package: the newest CVSS vector's base score (the package's
 * own `affected[].severity` first, then the record's), else the database's own rating
 * (`database_specific.severity`, as GitHub's advisories carry). An advisory rated neither way
 * counts as high, so it is looked at within days rather than waiting out a low target.
 */
export function advisorySeverity(record: OsvRecord, packageName: string): RatedSeverity {
  const own = (record.affected ?? []).filter((a) => a.package?.name === packageName);
  const vectors = [...own.flatMap((a) => a.severity ?? []), ...(record.severity ?? [])];
  for (const [type, version, source] of vectorTypes) {
    for (const entry of vectors.filter((v) => v.type === type)) {
      const score = typeof entry.score === 'string' ? baseScore(entry.score) : null;
      if (score !== null) return { severity: cvssSeverity(score, version), source, score };
    }
  }
  const rated = record.database_specific?.severity;
  const level = typeof rated === 'string' ? databaseLevels[rated.toUpperCase()] : undefined;
  if (level) return { severity: level, source: 'database', score: null };
  return { severity: 'high', source: 'unrated', score: null };
}
