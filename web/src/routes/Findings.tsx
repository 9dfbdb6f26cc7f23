import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { findingsApi } from '../api/findings.ts';
import type {
  BoardQuery,
  DueState,
  FindingStatus,
  ServiceFinding,
  Site,
  Transition,
} from '../api/service-types.ts';
import { sitesApi } from '../api/sites.ts';
import type { Org, Severity } from '../api/types.ts';
import { errorMessage } from '../components/errors.ts';
import { FormProblems, useFormProblems } from '../components/FormProblems.tsx';
import { OrgRequired } from '../components/OrgRequired.tsx';
import { useFocusOnClose, useFocusReturn } from '../components/useFocusReturn.ts';
import { SeverityBadge } from '../components/Report.tsx';
import { SelectField } from '../components/SelectField.tsx';
import { Empty, ErrorState, Loading, PageTitle } from '../components/States.tsx';
import { useAction } from '../components/useAction.ts';
import { useAsync } from '../components/useAsync.ts';
import { href, Link } from '../router.tsx';
import '../styles/service.css';

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
/** Names as people read them, capitalised like every other label on the board. */
const severityName = (s: Severity) => s.charAt(0).toUpperCase() + s.slice(1);
const STATUSES: [FindingStatus, string][] = [
  ['open', 'Open'],
  ['acknowledged', 'Acknowledged'],
  ['resolved', 'Resolved'],
  ['accepted', 'Accepted risk'],
  ['false_positive', 'False positive'],
];
const DUE: [DueState, string][] = [
  ['overdue', 'Overdue'],
  ['due_soon', 'Due soon'],
  ['on_track', 'On track'],
  ['none', 'No deadline'],
];
const statusName = Object.fromEntries(STATUSES) as Record<FindingStatus, string>;
const dueName = Object.fromEntries(DUE) as Record<DueState, string>;
const FILTER_KEYS = ['siteId', 'severity', 'status', 'due'] as const;

/** Filters live in the address (?severity=high&due=overdue) so a filtered board can be shared. */
function filtersFromUrl(): BoardQuery {
  const params = new URLSearchParams(window.location.search);
  const filters: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  return filters as BoardQuery;
}

/** A date input's value a given number of days ahead (local date). */
function daysAhead(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function AcceptForm({
  onSubmit,
  onCancel,
}: {
  onSubmit: (t: Transition) => Promise<void>;
  onCancel: () => void;
}) {
  const id = useId();
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState(daysAhead(30));
  const problems = useFormProblems();
  const form = useFocusReturn<HTMLFormElement>({ open: true, onClose: onCancel });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (
      problems.check([
        [
          `${id}-reason`,
          reason.trim().length < 3 ? 'Reason: say in a few words why the risk is accepted.' : undefined,
        ],
        [`${id}-until`, until ? undefined : 'Accepted until: choose the date the acceptance ends.'],
      ])
    )
      return;
    // End of the chosen day, local time.
    void onSubmit({
      status: 'accepted',
      reason: reason.trim(),
      until: new Date(`${until}T23:59:59`).toISOString(),
    });
  };
  return (
    <form className="accept-form" onSubmit={submit} noValidate ref={form}>
      <label htmlFor={`${id}-reason`}>Reason for accepting the risk</label>
      <textarea
        id={`${id}-reason`}
        required
        minLength={3}
        maxLength={500}
        rows={2}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        {...problems.field(`${id}-reason`)}
      />
      <label htmlFor={`${id}-until`}>Accepted until</label>
      <input
        id={`${id}-until`}
        type="date"
        required
        min={daysAhead(1)}
        max={daysAhead(365)}
        value={until}
        onChange={(event) => setUntil(event.target.value)}
        {...problems.field(`${id}-until`)}
      />
      <div className="finding-actions">
        <button type="submit" className="button primary">
          Accept risk
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <FormProblems problems={problems} />
    </form>
  );
}

function FindingRow({
  org,
  finding,
  siteName,
  onChanged,
}: {
  org: Org;
  finding: ServiceFinding;
  siteName: string;
  onChanged: (finding: ServiceFinding) => void;
}) {
  const [accepting, setAccepting] = useState(false);
  const acceptButton = useRef<HTMLButtonElement>(null);
  useFocusOnClose(accepting, acceptButton);
  const { busy, error, run } = useAction();
  const move = async (body: Transition) => {
    await run(async () => {
      onChanged(await findingsApi.transition(org.id, finding.id, body));
      setAccepting(false);
    });
  };
  const s = finding.status;
  return (
    <li className={`card finding finding-${finding.severity}`} data-testid="finding">
      <div className="finding-head">
        <SeverityBadge severity={finding.severity} />
        <h3>{finding.title}</h3>
        <span className={`badge finding-status status-${s}`}>{statusName[s]}</span>
        <span className={`badge due-${finding.due}`}>
          {dueName[finding.due]}
          {finding.dueAt &&
            (s === 'open' || s === 'acknowledged') &&
            ` · due ${new Date(finding.dueAt).toLocaleDateString()}`}
        </span>
      </div>
      <p className="hint">
        <Link to={href('site', { siteId: finding.siteId })}>{siteName}</Link> · first seen{' '}
        <time dateTime={finding.firstSeenAt}>{new Date(finding.firstSeenAt).toLocaleDateString()}</time> ·
        check <code>{finding.checkId}</code>
        {finding.reopenedCount > 0 && ` · reopened ${finding.reopenedCount}×`}
      </p>
      {finding.accepted && (
        <p className="hint">
          Risk accepted until {new Date(finding.accepted.until).toLocaleDateString()}:{' '}
          {finding.accepted.reason}
        </p>
      )}
      <details>
        <summary>Evidence and how to fix</summary>
        <pre className="evidence">{finding.evidence}</pre>
        <p>{finding.remediation}</p>
      </details>
      {s !== 'resolved' &&
        (accepting ? (
          <AcceptForm onSubmit={move} onCancel={() => setAccepting(false)} />
        ) : s === 'accepted' ? (
          // Moving an accepted risk ends its acceptance: the buttons say so (the API demands endAcceptance).
          <div className="finding-actions" aria-label={`Actions for ${finding.title}`} role="group">
            <button
              type="button"
              className="button secondary"
              disabled={busy}
              onClick={() => void move({ status: 'acknowledged', endAcceptance: true })}
            >
              End acceptance and acknowledge
            </button>
            <button
              type="button"
              className="button ghost"
              disabled={busy}
              onClick={() => void move({ status: 'open', endAcceptance: true })}
            >
              End acceptance and reopen
            </button>
          </div>
        ) : (
          <div className="finding-actions" aria-label={`Actions for ${finding.title}`} role="group">
            {s !== 'acknowledged' && (
              <button
                type="button"
                className="button secondary"
                disabled={busy}
                onClick={() => void move({ status: 'acknowledged' })}
              >
                Acknowledge
              </button>
            )}
            <button
              ref={acceptButton}
              type="button"
              className="button secondary"
              disabled={busy}
              onClick={() => setAccepting(true)}
            >
              Accept risk…
            </button>
            {s !== 'false_positive' && (
              <button
                type="button"
                className="button secondary"
                disabled={busy}
                onClick={() => void move({ status: 'false_positive' })}
              >
                False positive
              </button>
            )}
            {s !== 'open' && (
              <button
                type="button"
                className="button ghost"
                disabled={busy}
                onClick={() => void move({ status: 'open' })}
              >
                Reopen
              </button>
            )}
          </div>
        ))}
      {error !== undefined && (
        <p className="state state-error" role="alert">
          {errorMessage(error)}
        </p>
      )}
    </li>
  );
}

function Counts({ title, entries }: { title: string; entries: [string, string, number][] }) {
  return (
    <section className="card counts" aria-label={title}>
      <h2>{title}</h2>
      <ul>
        {entries.map(([key, label, n]) => (
          <li key={key} className={`count count-${key}`}>
            <span className="count-n">{n}</span> <span className="count-label">{label}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Board({ org }: { org: Org }) {
  const [filters, setFilters] = useState<BoardQuery>(filtersFromUrl);
  const key = JSON.stringify(filters);
  const board = useAsync(() => findingsApi.board(org.id, filters), [org.id, key]);
  const sites = useAsync(() => sitesApi.list(org.id), [org.id]);
  const [changed, setChanged] = useState<Record<string, ServiceFinding>>({});
  useEffect(() => {
    const params = new URLSearchParams();
    for (const k of FILTER_KEYS) if (filters[k]) params.set(k, filters[k]!);
    const search = params.toString();
    window.history.replaceState(null, '', `${window.location.pathname}${search ? `?${search}` : ''}`);
    setChanged({});
  }, [key]);

  const siteList: Site[] = sites.status === 'done' ? sites.data.sites : [];
  const nameOf = (siteId: string) => siteList.find((s) => s.id === siteId)?.name ?? 'Site';
  const set = (name: (typeof FILTER_KEYS)[number], value: string) =>
    setFilters((current) => ({ ...current, [name]: value || undefined }));

  return (
    <>
      <form className="card filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
        <div>
          <SelectField
            id="filter-severity"
            label="Severity"
            none="All"
            value={filters.severity ?? ''}
            options={SEVERITIES.map((s) => [s, severityName(s)] as const)}
            onChange={(value) => set('severity', value)}
          />
        </div>
        <div>
          <SelectField
            id="filter-status"
            label="Status"
            none="All"
            value={filters.status ?? ''}
            options={STATUSES}
            onChange={(value) => set('status', value)}
          />
        </div>
        <div>
          <SelectField
            id="filter-site"
            label="Site"
            none="All"
            value={filters.siteId ?? ''}
            options={siteList.map((site) => [site.id, site.name] as const)}
            onChange={(value) => set('siteId', value)}
          />
        </div>
        <div>
          <SelectField
            id="filter-due"
            label="Deadline"
            none="All"
            value={filters.due ?? ''}
            options={DUE}
            onChange={(value) => set('due', value)}
          />
        </div>
        <div className="filter-actions">
          <button type="button" className="button ghost" onClick={() => setFilters({})}>
            Clear filters
          </button>
          <a className="button secondary" href={findingsApi.exportCsv(org.id, filters)} download>
            Export CSV
          </a>
        </div>
      </form>

      {board.status === 'loading' && <Loading label="Loading findings…" />}
      {board.status === 'error' && <ErrorState error={board.error} onRetry={board.reload} />}
      {board.status === 'done' && (
        <>
          <div className="count-panels">
            <Counts
              title="Open by severity"
              entries={SEVERITIES.map((s) => [s, severityName(s), board.data.counts.openBySeverity[s] ?? 0])}
            />
            <Counts
              title="By deadline"
              entries={DUE.map(([d, label]) => [d, label, board.data.counts.byDue[d] ?? 0])}
            />
          </div>
          <h2 id="findings-heading">Findings ({board.data.counts.total})</h2>
          <p className="hint" data-testid="open-count">
            {board.data.counts.open} open (open or acknowledged): accepted risks, false positives and resolved
            findings need no work.
          </p>
          {board.data.findings.length === 0 ? (
            <Empty>
              {Object.values(filters).some(Boolean)
                ? 'No finding matches these filters.'
                : 'No findings yet: scan a site from its page to fill the board.'}
            </Empty>
          ) : (
            <ol className="findings" aria-labelledby="findings-heading">
              {board.data.findings.map((f) => (
                <FindingRow
                  key={f.id}
                  org={org}
                  finding={changed[f.id] ?? f}
                  siteName={nameOf(f.siteId)}
                  onChanged={(next) => setChanged((c) => ({ ...c, [next.id]: next }))}
                />
              ))}
            </ol>
          )}
        </>
      )}
    </>
  );
}

export function FindingsPage() {
  return (
    <>
      <PageTitle lead="Every open issue across your sites, with its deadline.">Findings</PageTitle>
      <OrgRequired>{(org) => <Board org={org} />}</OrgRequired>
    </>
  );
}
