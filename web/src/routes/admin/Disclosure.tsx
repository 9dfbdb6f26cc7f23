import { useState, type FormEvent } from 'react';
import { adminApi } from '../../api/admin.ts';
import {
  reportSeverities,
  reportStatuses,
  type DisclosureReport,
  type ReportSeverity,
  type ReportStatus,
} from '../../api/admin-types.ts';
import { SeverityBadge } from '../../components/Report.tsx';
import { SelectField } from '../../components/SelectField.tsx';
import { Empty, Loading } from '../../components/States.tsx';
import { useAction } from '../../components/useAction.ts';
import { useAsync } from '../../components/useAsync.ts';
import { OpenButton, QueueNotice, useQueue } from './Queue.tsx';
import { ActionError, LoadError, formatTime } from './StepUp.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';

function Triage({ report, onSaved }: { report: DisclosureReport; onSaved: (r: DisclosureReport) => void }) {
  const [severity, setSeverity] = useState<ReportSeverity | ''>(report.severity ?? '');
  const [status, setStatus] = useState<ReportStatus>(report.status === 'new' ? 'triaged' : report.status);
  const { busy, error, setError, run } = useAction();
  const closed = report.closedAt !== null;
  const save = (event?: FormEvent) => {
    event?.preventDefault();
    void run(async () =>
      onSaved(await adminApi.triage(report.id, { status, ...(severity && { severity }) })),
    );
  };
  return (
    <section className="card admin-detail" aria-labelledby="report-title">
      <h3 id="report-title">{report.title}</h3>
      <dl className="admin-facts">
        <dt>Reporter</dt>
        <dd>{report.reporterEmail ?? 'Anonymous (no address given)'}</dd>
        <dt>Received</dt>
        <dd>{formatTime(report.createdAt)}</dd>
        <dt>Due</dt>
        <dd>
          {formatTime(report.dueAt)} {report.overdue && <span className="badge status-fail">overdue</span>}
        </dd>
        <dt>Closed</dt>
        <dd>{formatTime(report.closedAt)}</dd>
      </dl>
      <p className="admin-message-body">{report.description}</p>
      {closed ? (
        <p className="hint">This report is closed ({report.status}); it can no longer be changed.</p>
      ) : (
        <form className="form admin-triage" onSubmit={save}>
          <div>
            <SelectField
              id="triage-severity"
              label="Severity"
              none="Not set"
              value={severity}
              options={reportSeverities}
              onChange={setSeverity}
              disabled={busy}
            />
          </div>
          <div>
            <SelectField
              id="triage-status"
              label="Status"
              value={status}
              options={reportStatuses}
              onChange={setStatus}
              disabled={busy}
            />
          </div>
          <p className="hint">
            The severity sets the due date from the remediation targets.{' '}
            {report.reporterEmail
              ? 'Saving emails the reporter a status update.'
              : 'The reporter left no address, so nobody is notified.'}
          </p>
          <div className="admin-actions">
            <button type="submit" className="button primary" disabled={busy}>
              {busy ? 'Saving…' : report.reporterEmail ? 'Save and notify the reporter' : 'Save'}
            </button>
          </div>
          {error !== undefined && <ActionError error={error} onVerified={() => setError(undefined)} />}
        </form>
      )}
    </section>
  );
}

/** The security role's triage queue: earliest due first; open a report, set severity and status. */
export function DisclosureSection() {
  const [filter, setFilter] = useState<ReportStatus | ''>('');
  const { openId, open: openReport, notice, setNotice } = useQueue();
  const state = useAsync(() => adminApi.reports(filter || undefined), [filter]);
  const reports = state.status === 'done' ? state.data.reports : [];
  const open = reports.find((r) => r.id === openId);
  return (
    <section aria-labelledby="disclosure-title">
      <h2 id="disclosure-title">Disclosure queue</h2>
      <div className="admin-inline">
        <SelectField
          id="disclosure-filter"
          label="Status"
          none="All"
          value={filter}
          options={reportStatuses}
          onChange={setFilter}
        />
      </div>
      {state.status === 'loading' && <Loading label="Loading reports…" />}
      {state.status === 'error' && <LoadError error={state.error} onRetry={state.reload} />}
      {state.status === 'done' &&
        (reports.length === 0 ? (
          <Empty>No reports{filter ? ` with status ${filter}` : ''}.</Empty>
        ) : (
          <TableScroll label="Vulnerability reports, earliest due first">
            <table className="admin-table" data-testid="disclosure-table">
              <caption className="visually-hidden">Vulnerability reports, earliest due first</caption>
              <thead>
                <tr>
                  <th scope="col">Report</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Status</th>
                  <th scope="col">Due</th>
                  <th scope="col">Received</th>
                </tr>
              </thead>
              <tbody>
                {reports.map((r) => (
                  <tr key={r.id} aria-current={r.id === openId ? 'true' : undefined}>
                    <td>
                      <OpenButton onOpen={() => openReport(r.id)}>{r.title}</OpenButton>
                    </td>
                    <td>{r.severity ? <SeverityBadge severity={r.severity} /> : 'Not set'}</td>
                    <td data-testid="report-status">{r.status}</td>
                    <td>
                      {formatTime(r.dueAt)} {r.overdue && <span className="badge status-fail">overdue</span>}
                    </td>
                    <td>{formatTime(r.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        ))}
      <QueueNotice notice={notice} />
      {open && (
        <Triage
          key={`${open.id}:${open.status}:${open.severity ?? ''}`}
          report={open}
          onSaved={(saved) => {
            setNotice(
              `Saved: ${saved.status}${saved.severity ? `, severity ${saved.severity}` : ''}.${
                saved.reporterEmail ? ' The reporter was emailed a status update.' : ''
              }`,
            );
            state.reload();
          }}
        />
      )}
    </section>
  );
}
