import type { Log, ReportingDescriptor, Result } from 'sarif';
import { CHECKS } from '../checks/index.ts';
import type { Report, Severity } from '../types.ts';
import { stripControl } from './escape.ts';
import { privacySarifProperties } from './privacy-sarif.ts';

const LEVEL: Record<Severity, Result.level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub code scanning reads `security-severity` (0–10) to rank security results. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

/** SARIF 2.1.0 (OASIS): one rule per registered check, one result per finding. */
export function renderSarif(report: Report): string {
  const rules: ReportingDescriptor[] = CHECKS.map((c) => ({
    id: c.id,
    name: c.id.replace(/(^|-)([a-z])/g, (_m, _d: string, ch: string) => ch.toUpperCase()),
    shortDescription: { text: c.title },
    fullDescription: { text: c.description },
    help: { text: c.remediation },
    ...(c.references[0] ? { helpUri: c.references[0] } : {}),
    properties: {
      category: c.category,
      // GitHub code scanning files `security` results under security; privacy and accessibility are their own.
      tags:
        c.category === 'privacy' || c.category === 'accessibility' ? [c.category] : ['security', c.category],
    },
  }));
  const location = report.finalUrl ?? report.target;
  const results: Result[] = report.findings.map((f) => ({
    ruleId: f.checkId,
    ruleIndex: Math.max(
      0,
      CHECKS.findIndex((c) => c.id === f.checkId),
    ),
    level: LEVEL[f.severity],
    message: { text: stripControl(`${f.title}. Evidence: ${f.evidence}. Fix: ${f.remediation}`) },
    locations: [{ physicalLocation: { artifactLocation: { uri: location } } }],
    partialFingerprints: { vioscanFinding: f.id },
    properties: {
      severity: f.severity,
      'security-severity': SECURITY_SEVERITY[f.severity],
      outcome: f.outcome,
      category: f.category,
    },
    ...(f.accepted
      ? {
          suppressions: [
            { kind: 'external' as const, status: 'accepted' as const, justification: f.accepted.reason },
          ],
        }
      : {}),
  }));
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'VIOscan', informationUri: 'https://github.com/vioscan/vioscan', rules } },
        results,
        invocations: [
          {
            executionSuccessful: report.error === undefined,
            startTimeUtc: report.startedAt,
            endTimeUtc: report.finishedAt,
            ...(report.error
              ? {
                  toolExecutionNotifications: [
                    { level: 'error' as const, message: { text: stripControl(report.error.message) } },
                  ],
                }
              : {}),
          },
        ],
        properties: {
          grade: report.grade,
          score: report.score,
          scoringVersion: report.scoringVersion,
          ...privacySarifProperties(report),
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
