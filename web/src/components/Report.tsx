import type { ReactNode } from 'react';
import type { CategoryResult, CheckResult, Finding, Report, ReportFormat, Severity } from '../api/types.ts';
import { Empty } from './States.tsx';

const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export function gradeClass(grade: string): string {
  const letter = grade.charAt(0).toLowerCase();
  return `grade grade-${/[a-f]/.test(letter) ? letter : 'none'}`;
}

export function GradeBadge({
  grade,
  score,
  label = 'Grade',
}: {
  grade: string;
  score?: number;
  label?: string;
}) {
  return (
    <div
      className={gradeClass(grade)}
      role="img"
      aria-label={`${label} ${grade}${score === undefined ? '' : `, score ${score}`}`}
    >
      <span className="grade-letter">{grade}</span>
      {score !== undefined && <span className="grade-score">{score}/100</span>}
    </div>
  );
}

/** A report's grade, or "not graded" with the reason when the site could not be scanned at all. */
export function ReportGrade({ report }: { report: Report }) {
  if (report.grade !== null) return <GradeBadge grade={report.grade} score={report.score ?? undefined} />;
  return (
    <div className="grade grade-none" role="img" aria-label={`Not graded: ${report.error?.message ?? ''}`}>
      <span className="grade-letter">–</span>
      <span className="grade-score">not graded</span>
    </div>
  );
}

/** A site's latest grade, or a dash when it has not been scanned yet. */
export function LatestGrade({ grade }: { grade: string | null | undefined }) {
  return grade ? (
    <GradeBadge grade={grade} label="Latest grade" />
  ) : (
    <span className="grade grade-none" role="img" aria-label="Not scanned yet">
      <span className="grade-letter">–</span>
    </span>
  );
}

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span className={`badge severity-${severity}`}>{severity}</span>;
}

const categoryNames: Record<string, string> = {
  transport: 'Transport',
  headers: 'Headers',
  cookies: 'Cookies',
  content: 'Content',
  disclosure: 'Disclosure',
};

export function Categories({ categories }: { categories: CategoryResult[] }) {
  return (
    <ul className="category-grid">
      {categories.map((c) => (
        <li key={c.category} className="card category">
          <span className="category-name">{categoryNames[c.category] ?? c.category}</span>
          <span className={gradeClass(c.grade)}>
            <span className="grade-letter">{c.grade}</span>
          </span>
          <span className="category-score">{c.score}/100</span>
        </li>
      ))}
    </ul>
  );
}

/** Only http(s) links are made clickable; anything else is shown as text. */
export function Reference({ url, children }: { url: string; children?: ReactNode }) {
  return /^https?:\/\//i.test(url) ? (
    <a href={url} rel="noreferrer noopener" target="_blank">
      {children ?? url}
    </a>
  ) : (
    <span>{children ?? url}</span>
  );
}

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      a.title.localeCompare(b.title),
  );
}

/** Evidence comes from the scanned site: rendered as text only (React escapes it). */
export function FindingItem({ finding }: { finding: Finding }) {
  return (
    <li className={`card finding finding-${finding.severity}`}>
      <div className="finding-head">
        <SeverityBadge severity={finding.severity} />
        <h3>{finding.title}</h3>
        {finding.remediationDays !== undefined && (
          <span className="deadline">
            Fix within {finding.remediationDays} {finding.remediationDays === 1 ? 'day' : 'days'}
          </span>
        )}
      </div>
      {finding.accepted && (
        <p className="hint">
          Accepted until {finding.accepted.expires}: {finding.accepted.reason}
        </p>
      )}
      <h4>Evidence</h4>
      <pre className="evidence">{finding.evidence}</pre>
      <h4>How to fix</h4>
      <p>{finding.remediation}</p>
      {finding.references.length > 0 && (
        <>
          <h4>References</h4>
          <ul className="references">
            {finding.references.map((ref) => (
              <li key={ref}>
                <Reference url={ref} />
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="hint">
        Check <code>{finding.checkId}</code> · outcome <code>{finding.outcome}</code>
      </p>
    </li>
  );
}

const statusLabel: Record<CheckResult['status'], string> = {
  pass: 'Pass',
  fail: 'Fail',
  warn: 'Warning',
  error: 'Error',
  skipped: 'Skipped',
};

export function ChecksTable({ checks }: { checks: CheckResult[] }) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Every check and its result</caption>
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col">Result</th>
            <th scope="col">Score</th>
            <th scope="col">Evidence</th>
          </tr>
        </thead>
        <tbody>
          {checks.map((check) => (
            <tr key={check.id}>
              <th scope="row">{check.title}</th>
              <td>
                <span className={`badge status-${check.status}`}>{statusLabel[check.status]}</span>
              </td>
              <td>{check.scoreModifier > 0 ? `+${check.scoreModifier}` : check.scoreModifier}</td>
              <td className="evidence-cell">{check.evidence}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function reportSummary(report: Report): string {
  const counts = SEVERITY_ORDER.map(
    (s) => [s, report.findings.filter((f) => f.severity === s).length] as const,
  ).filter(([, n]) => n > 0);
  return counts.length === 0 ? 'No findings.' : `${counts.map(([s, n]) => `${n} ${s}`).join(', ')}.`;
}

const formats: [ReportFormat, string][] = [
  ['json', 'JSON'],
  ['md', 'Markdown'],
  ['html', 'HTML'],
  ['sarif', 'SARIF'],
];

/** The "Download" label and one link a report format; `hrefFor` gives each format's address. */
export function ReportDownloads({ hrefFor }: { hrefFor: (format: ReportFormat) => string }) {
  return (
    <>
      <span className="hint" id="downloads-label">
        Download
      </span>
      <ul className="downloads" aria-labelledby="downloads-label">
        {formats.map(([format, label]) => (
          <li key={format}>
            <a className="button secondary" href={hrefFor(format)} download>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}

/** A report's body below its summary: the scan error, categories, findings (worst first) and all checks. */
export function ReportBody({ report }: { report: Report }) {
  const findings = sortFindings(report.findings);
  if (report.grade === null) {
    // Never an F 0: nothing was judged, so there is no grade, no category and no finding to show.
    return (
      <div className="state state-error" role="alert">
        <strong>Not graded: the site could not be scanned.</strong> {report.error?.message}
      </div>
    );
  }
  return (
    <>
      {report.error && (
        <div className="state state-error" role="alert">
          <strong>The site could not be scanned completely.</strong> {report.error.message}
        </div>
      )}
      {report.gradeCap && (
        <div className="state state-error" role="note">
          <strong>Grade capped at {report.gradeCap.grade}</strong> by {report.gradeCap.outcomes.join(', ')}:
          browsers warn visitors away from this site whatever its other settings.
        </div>
      )}

      <section aria-labelledby="categories-heading">
        <h2 id="categories-heading">Categories</h2>
        <Categories categories={report.categories} />
      </section>

      <section aria-labelledby="findings-heading">
        <h2 id="findings-heading">Findings ({findings.length})</h2>
        {findings.length === 0 ? (
          <Empty>No findings: every check passed.</Empty>
        ) : (
          <ol className="findings">
            {findings.map((finding) => (
              <FindingItem key={finding.id} finding={finding} />
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="checks-heading">
        <h2 id="checks-heading">All checks</h2>
        {report.checks.length === 0 ? <Empty>No checks ran.</Empty> : <ChecksTable checks={report.checks} />}
      </section>
    </>
  );
}

/** The summary's first lines: the target (and where it redirected), the finding counts and the headers score. */
export function ReportFacts({ report }: { report: Report }) {
  return (
    <>
      <p className="target">
        <span className="hint">Target</span> <span className="break">{report.target}</span>
      </p>
      {report.finalUrl && report.finalUrl !== report.target && (
        <p>
          <span className="hint">Final URL</span> <span className="break">{report.finalUrl}</span>
        </p>
      )}
      {report.grade === null ? (
        <p>Not graded: {report.error?.message ?? 'the site could not be scanned'}</p>
      ) : (
        <p>
          {reportSummary(report)} Headers score (Observatory method): <strong>{report.headersGrade}</strong> (
          {report.headersScore}).
        </p>
      )}
    </>
  );
}
