import { useState, type FormEvent } from 'react';
import { adminApi } from '../../api/admin.ts';
import type { AuditFilter, AuditVerification } from '../../api/admin-types.ts';
import { Empty, Loading } from '../../components/States.tsx';
import { useAction } from '../../components/useAction.ts';
import { useAsync } from '../../components/useAsync.ts';
import { ActionError, LoadError, formatTime } from './StepUp.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';

const PAGE = 25;
const DETAILS_MAX = 240;

/** A local calendar day as an instant; `to` is exclusive on the server, so the end day counts whole. */
const dayStart = (day: string, plusDays = 0): string | undefined => {
  if (!day) return undefined;
  const date = new Date(`${day}T00:00:00`);
  date.setDate(date.getDate() + plusDays);
  return date.toISOString();
};

function detailsText(details: unknown): string {
  const text = details === null || details === undefined ? '' : JSON.stringify(details);
  return text.length > DETAILS_MAX ? `${text.slice(0, DETAILS_MAX)}…` : text;
}

function VerifyChain() {
  const [result, setResult] = useState<AuditVerification>();
  const { busy, error, run } = useAction();
  const verify = () => {
    setResult(undefined);
    void run(async () => setResult(await adminApi.verifyAudit()));
  };
  return (
    <div className="admin-verify">
      <button type="button" className="button secondary" onClick={verify} disabled={busy}>
        {busy ? 'Verifying…' : 'Verify chain'}
      </button>
      <div aria-live="polite">
        {result && (
          <p className={result.ok ? 'admin-ok' : 'admin-bad'} data-testid="verify-result">
            <strong>{result.ok ? 'Chain intact.' : 'Chain broken.'}</strong> {result.message}
          </p>
        )}
      </div>
      {error !== undefined && <ActionError error={error} onVerified={verify} />}
    </div>
  );
}

/** The tamper-evident audit log: filters, newest first, paged by sequence number, and a chain check. */
export function AuditSection() {
  const [form, setForm] = useState({ action: '', actorEmail: '', from: '', to: '' });
  const [filter, setFilter] = useState<AuditFilter>({});
  // Cursors of the pages before this one, so "Newer" can go back.
  const [cursors, setCursors] = useState<(number | undefined)[]>([]);
  const [before, setBefore] = useState<number>();
  const state = useAsync(() => adminApi.audit({ ...filter, before, limit: PAGE }), [filter, before]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setCursors([]);
    setBefore(undefined);
    setFilter({
      action: form.action.trim() || undefined,
      actorEmail: form.actorEmail.trim() || undefined,
      from: dayStart(form.from),
      to: dayStart(form.to, 1),
    });
  };
  const field = (name: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm({ ...form, [name]: event.target.value });

  const entries = state.status === 'done' ? state.data.entries : [];
  const last = entries.at(-1);
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <p className="hint">
        Every administrative and security-relevant action, in a hash chain: each entry&apos;s hash covers the
        previous one, so a change, a removal or a reordering is detected.
      </p>
      <VerifyChain />
      <form className="card admin-filters" onSubmit={apply} aria-label="Filter the audit log">
        <div>
          <label htmlFor="audit-action">Action (prefix)</label>
          <input
            id="audit-action"
            type="text"
            placeholder="e.g. disclosure."
            pattern="[a-z_.]{1,64}"
            title="Lower-case letters, dots and underscores"
            value={form.action}
            onChange={field('action')}
          />
        </div>
        <div>
          <label htmlFor="audit-actor">Actor (email)</label>
          <input
            id="audit-actor"
            type="text"
            inputMode="email"
            value={form.actorEmail}
            onChange={field('actorEmail')}
          />
        </div>
        <div>
          <label htmlFor="audit-from">From</label>
          <input id="audit-from" type="date" value={form.from} onChange={field('from')} />
        </div>
        <div>
          <label htmlFor="audit-to">To (inclusive)</label>
          <input id="audit-to" type="date" value={form.to} onChange={field('to')} />
        </div>
        <div className="admin-actions">
          <button type="submit" className="button primary">
            Apply filters
          </button>
          <button
            type="button"
            className="button ghost"
            onClick={() => {
              setForm({ action: '', actorEmail: '', from: '', to: '' });
              setFilter({});
              setCursors([]);
              setBefore(undefined);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      {state.status === 'loading' && <Loading label="Loading audit entries…" />}
      {state.status === 'error' && <LoadError error={state.error} onRetry={state.reload} />}
      {state.status === 'done' &&
        (entries.length === 0 ? (
          <Empty>No audit entries match.</Empty>
        ) : (
          <TableScroll label="Audit entries, newest first">
            <table className="admin-table" data-testid="audit-table">
              <caption className="visually-hidden">Audit entries, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Time</th>
                  <th scope="col">Action</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Target</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.seq} data-testid="audit-entry">
                    <td>{e.seq}</td>
                    <td>{formatTime(e.at)}</td>
                    <td>
                      <code>{e.action}</code>
                    </td>
                    <td>{e.actorEmail ?? (e.actorId ? 'deleted account' : 'system')}</td>
                    <td className="admin-mono">
                      {e.targetType ? `${e.targetType} ${e.targetEmail ?? e.targetId ?? ''}` : '—'}
                    </td>
                    <td className="evidence-cell">
                      <code>{detailsText(e.details)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        ))}
      <div className="admin-actions admin-pager">
        <button
          type="button"
          className="button secondary"
          disabled={cursors.length === 0}
          onClick={() => {
            setBefore(cursors.at(-1));
            setCursors(cursors.slice(0, -1));
          }}
        >
          Newer
        </button>
        <button
          type="button"
          className="button secondary"
          disabled={state.status !== 'done' || entries.length < PAGE || !last}
          onClick={() => {
            setCursors([...cursors, before]);
            setBefore(last?.seq);
          }}
        >
          Older
        </button>
      </div>
    </section>
  );
}
