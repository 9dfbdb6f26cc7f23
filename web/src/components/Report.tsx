import type { ReactNode } from 'react';
import type { CategoryResult, CheckResult, Report, ReportFormat, Severity } from '../api/types.ts';
import { RescanButton } from './ReportHeader.tsx';
import { FindingsByCause, FixFirst, HeaderStrip, RawHeaders, severityLabel } from './ReportPriorities.tsx';
import { Empty } from './States.tsx';
import { TableScroll } from './TableScroll.tsx';

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
  return <span className={`badge severity-${severity}`}>{severityLabel(severity)}</span>;
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

const statusLabel: Record<CheckResult['status'], string> = {
  pass: 'Pass',
  fail: 'Fail',
  warn: 'Warning',
  error: 'Error',
  skipped: 'Skipped',
};

export function ChecksTable({ checks }: { checks: CheckResult[] }) {
  return (
    <TableScroll label="Every check and its result">
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
    </TableScroll>
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

/** A report's body below its summary: the scan error, categories, what to fix first, findings by root cause, all checks. */
export function ReportBody({ report }: { report: Report }) {
  if (report.grade === null) {
    // Never an F 0: nothing was judged, so there is no grade, no category and no finding to show.
    return (
      <section className="state state-error not-graded" role="alert" aria-labelledby="not-graded-heading">
        <h2 id="not-graded-heading">Not graded: the site could not be scanned</h2>
        <p>{report.error?.message}</p>
        <p>
          Nothing was judged, so there is no grade and no finding. Check that the address is right, that the
          site is up and that it answers from the internet (firewall, DNS), then try again.
        </p>
        <RescanButton label="Retry the scan" primary />
      </section>
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
        <HeaderStrip report={report} />
      </section>

      <FixFirst report={report} />

      <section aria-labelledby="findings-heading">
        <h2 id="findings-heading">Findings by root cause ({report.findings.length})</h2>
        {report.findings.length === 0 ? (
          <Empty>No findings: every check passed.</Empty>
        ) : (
          <FindingsByCause report={report} />
        )}
      </section>

      <section aria-labelledby="checks-heading">
        <h2 id="checks-heading">All checks</h2>
        {report.checks.length === 0 ? <Empty>No checks ran.</Empty> : <ChecksTable checks={report.checks} />}
        <RawHeaders report={report} />
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
