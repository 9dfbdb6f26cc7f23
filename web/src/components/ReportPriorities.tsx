import { useState } from 'react';
import '../styles/report.css';
import { codeSpans } from '../../../src/scanner/report/code-spans.ts';
import { SECURITY_HEADERS } from '../../../src/scanner/report/headers.ts';
import { SEVERITY_STYLE } from '../../../src/scanner/report/severity-style.ts';
import type { Finding, Report, RootCause, Severity } from '../api/types.ts';

const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
export const severityLabel = (s: Severity) => SEVERITY_STYLE[s].label;

/** A fix with its code (between backticks in the text) shown as code. */
export function FixText({ text }: { text: string }) {
  return (
    <>
      {codeSpans(text).map((s, i) =>
        s.code ? <code key={i}>{s.text}</code> : <span key={i}>{s.text}</span>,
      )}
    </>
  );
}

function causeFacts(cause: RootCause): string {
  const n = cause.findings.length;
  return `${severityLabel(cause.severity)} · ${cause.effort} of work · resolves ${n} finding${n === 1 ? '' : 's'}`;
}

function deadline(f: Finding): string {
  if (f.accepted) return `accepted until ${f.accepted.expires}`;
  if (f.remediationDays === undefined) return 'no deadline';
  return `fix within ${f.remediationDays} ${f.remediationDays === 1 ? 'day' : 'days'}`;
}

/** "Fix these first": the causes that lift the grade most, each step counting the ones above it. */
export function FixFirst({ report }: { report: Report }) {
  const p = report.priorities;
  if (!p || p.fixFirst.length === 0) return null;
  return (
    <section className="card fix-first" aria-labelledby="fix-first-heading">
      <h2 id="fix-first-heading">Fix these first</h2>
      <ol>
        {p.fixFirst.map((step) => {
          const cause = p.rootCauses.find((c) => c.id === step.id);
          if (!cause) return null;
          return (
            <li key={step.id}>
              <strong>{cause.title}</strong>: grade <strong>{step.gradeAfter}</strong> (score{' '}
              {step.scoreAfter}) once fixed. <span className="hint">{causeFacts(cause)}.</span>
              <p>
                <FixText text={cause.fix} />
              </p>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** Which of the usual security headers the final response carried, at a glance. */
export function HeaderStrip({ report }: { report: Report }) {
  const headers = report.responseHeaders;
  if (!headers) return null;
  return (
    <ul className="header-strip" aria-label="Security headers">
      {SECURITY_HEADERS.map(({ name, label }) => {
        const present = (headers[name]?.length ?? 0) > 0;
        return (
          <li key={name} className={present ? 'present' : 'missing'}>
            <span aria-hidden="true">{present ? '✓' : '✗'}</span> {label}
            <span className="visually-hidden">{present ? ' present' : ' missing'}</span>
          </li>
        );
      })}
    </ul>
  );
}

/** The final response's headers as received, on demand. Site text: React escapes it. */
export function RawHeaders({ report }: { report: Report }) {
  const headers = report.responseHeaders;
  if (!headers) return null;
  const text = Object.entries(headers)
    .flatMap(([name, values]) => values.map((v) => `${name}: ${v}`))
    .join('\n');
  return (
    <details className="raw-headers">
      <summary>Raw response headers</summary>
      <pre className="evidence">{text}</pre>
    </details>
  );
}

/** One finding, one line (severity, title, deadline); opens to the evidence, the fix and the references. */
function FindingRow({ finding, causeFix }: { finding: Finding; causeFix?: string }) {
  return (
    <li>
      <details className={`finding-row finding-${finding.severity}`}>
        <summary>
          <span className={`badge severity-${finding.severity}`}>{severityLabel(finding.severity)}</span>{' '}
          <span className="finding-title">{finding.title}</span>{' '}
          <span className="deadline">{deadline(finding)}</span>
        </summary>
        <div className="finding-more">
          {finding.accepted && (
            <p className="hint">
              Accepted until {finding.accepted.expires}: {finding.accepted.reason}
            </p>
          )}
          <h4>Evidence</h4>
          <pre className="evidence">{finding.evidence}</pre>
          {finding.remediation !== causeFix && (
            <>
              <h4>How to fix</h4>
              <p>
                <FixText text={finding.remediation} />
              </p>
            </>
          )}
          {finding.references.length > 0 && (
            <ul className="references">
              {finding.references.map((ref) =>
                /^https?:\/\//i.test(ref) ? (
                  <li key={ref}>
                    <a href={ref} rel="noreferrer noopener" target="_blank">
                      {ref}
                    </a>
                  </li>
                ) : (
                  <li key={ref}>{ref}</li>
                ),
              )}
            </ul>
          )}
          <p className="hint">
            Check <code>{finding.checkId}</code> · outcome <code>{finding.outcome}</code>
          </p>
        </div>
      </details>
    </li>
  );
}

interface Group {
  cause?: RootCause;
  title: string;
  findings: Finding[];
}

/** Findings under their root cause (a report stored before root causes existed: one plain list). */
function groups(report: Report): Group[] {
  const byId = new Map(report.findings.map((f) => [f.id, f]));
  const p = report.priorities;
  if (!p) return [{ title: 'All findings', findings: report.findings }];
  const out: Group[] = p.rootCauses.map((cause) => ({
    cause,
    title: cause.title,
    findings: cause.findings.flatMap((id) => byId.get(id) ?? []),
  }));
  const accepted = report.findings.filter((f) => f.accepted);
  if (accepted.length) out.push({ title: 'Accepted risks', findings: accepted });
  return out;
}

/** Every finding under its cause, filtered by category and severity. */
export function FindingsByCause({ report }: { report: Report }) {
  const [severity, setSeverity] = useState<Severity | ''>('');
  const [category, setCategory] = useState('');
  const categories = [...new Set(report.findings.map((f) => f.category))];
  const severities = SEVERITY_ORDER.filter((s) => report.findings.some((f) => f.severity === s));
  const keep = (f: Finding) =>
    (!severity || f.severity === severity) && (!category || f.category === category);
  const shown = groups(report)
    .map((g) => ({ ...g, findings: g.findings.filter(keep) }))
    .filter((g) => g.findings.length > 0);
  return (
    <>
      <div className="finding-filters no-print">
        <label>
          Severity{' '}
          <select value={severity} onChange={(e) => setSeverity(e.target.value as Severity | '')}>
            <option value="">All</option>
            {severities.map((s) => (
              <option key={s} value={s}>
                {severityLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Category{' '}
          <select value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">All</option>
            {categories.map((c) => (
              <option key={c} value={c}>
                {c.charAt(0).toUpperCase() + c.slice(1)}
              </option>
            ))}
          </select>
        </label>
        <span role="status" className="hint">
          {shown.reduce((n, g) => n + g.findings.length, 0)} of {report.findings.length} shown
        </span>
      </div>
      {shown.map((g) => (
        <section key={g.cause?.id ?? g.title} className="cause" aria-label={g.title}>
          <h3>{g.title}</h3>
          {g.cause && (
            <>
              <p className="hint">{causeFacts(g.cause)}</p>
              <p>
                <FixText text={g.cause.fix} />
              </p>
            </>
          )}
          <ul className="finding-rows">
            {g.findings.map((f) => (
              <FindingRow key={f.id} finding={f} causeFix={g.cause?.fix} />
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
