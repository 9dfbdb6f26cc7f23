import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client.ts';
import { DELETE_CONFIRMATION, privacyApi } from '../../api/privacy.ts';
import type { Consent, Deleted, ExportRequested, ExportState } from '../../api/privacy-types.ts';
import { Empty, ErrorState, Loading, PageTitle } from '../../components/States.tsx';
import { useAction } from '../../components/useAction.ts';
import { useAsync } from '../../components/useAsync.ts';
import { href, Link, useRouter } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import '../../styles/privacy.css';
import { TableScroll } from '../../components/TableScroll.tsx';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');
const POLL_MS = 2000;

function Consents() {
  const state = useAsync(() => privacyApi.consents());
  const { busy, pending, error, run } = useAction();
  const [notice, setNotice] = useState<string>();
  if (state.status === 'loading') return <Loading label="Loading consents…" />;
  if (state.status === 'error') return <ErrorState error={state.error} onRetry={state.reload} />;
  const change = (consent: Consent) => {
    setNotice(undefined);
    return run(async () => {
      await privacyApi.setConsent(consent.kind, !consent.granted);
      setNotice(`${consent.purpose}: ${consent.granted ? 'consent withdrawn' : 'consent given'}.`);
      state.reload();
    }, consent.kind);
  };
  return (
    <>
      {error !== undefined && <ErrorState error={error} />}
      <p className="visually-hidden" role="status">
        {notice}
      </p>
      <TableScroll label="Your consents">
        <table className="consent-table">
          <thead>
            <tr>
              <th scope="col">Consent</th>
              <th scope="col">State</th>
              <th scope="col">Version</th>
              <th scope="col">Since</th>
              <th scope="col">
                <span className="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {state.data.consents.map((consent) => (
              <tr key={consent.kind} data-testid={`consent-${consent.kind}`}>
                <th scope="row">
                  {consent.purpose}
                  {consent.required && <span className="hint"> (required to use the service)</span>}
                </th>
                <td>
                  <span className={`badge ${consent.granted ? 'fact-live' : 'fact-off'}`}>
                    {consent.granted ? 'Given' : consent.withdrawnAt ? 'Withdrawn' : 'Not given'}
                  </span>
                </td>
                <td>{consent.version ?? consent.currentVersion}</td>
                <td>{when(consent.granted ? consent.grantedAt : consent.withdrawnAt)}</td>
                <td>
                  {consent.required ? (
                    <span className="hint">Ends with the account</span>
                  ) : (
                    <button
                      type="button"
                      className="button secondary"
                      disabled={busy}
                      onClick={() => void change(consent)}
                    >
                      {pending === consent.kind
                        ? 'Saving…'
                        : consent.granted
                          ? `Withdraw: ${consent.purpose.toLowerCase()}`
                          : `Give consent: ${consent.purpose.toLowerCase()}`}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <details className="consent-history">
        <summary>History ({state.data.history.length} records)</summary>
        <ul>
          {state.data.history.map((record, index) => (
            <li key={index}>
              {record.kind} version {record.version}: given {when(record.grantedAt)}
              {record.withdrawnAt && `, withdrawn ${when(record.withdrawnAt)}`}
            </li>
          ))}
        </ul>
      </details>
    </>
  );
}

function DataExport() {
  const [requested, setRequested] = useState<ExportRequested>();
  const [current, setCurrent] = useState<ExportState>();
  const { busy, error, setError, run } = useAction();
  const list = useAsync(() => privacyApi.exports());

  // Poll the job's state until the archive is built (or failed).
  useEffect(() => {
    if (!requested || current?.status === 'ready' || current?.status === 'failed') return;
    const timer = window.setTimeout(() => {
      privacyApi.exports().then(
        (answer) => setCurrent(answer.exports.find((e) => e.id === requested.id)),
        (failure: unknown) => setError(failure),
      );
    }, POLL_MS);
    return () => window.clearTimeout(timer);
  }, [requested, current]);

  const start = () => {
    setCurrent(undefined);
    return run(async () => setRequested(await privacyApi.requestExport()));
  };

  const earlier = list.status === 'done' ? list.data.exports.filter((e) => e.id !== requested?.id) : [];
  return (
    <>
      <p>
        A JSON archive of your account, consents, sessions, API tokens, security events, support messages and
        audit trail, and of the organisations you can read. A background job builds it; the download link is
        shown here once and expires after a few days.
      </p>
      {error !== undefined && <ErrorState error={error} />}
      <div aria-live="polite">
        {requested && current?.status !== 'ready' && current?.status !== 'failed' && (
          <Loading label="Preparing your export…" />
        )}
        {current?.status === 'failed' && (
          <ErrorState error={new Error('The export failed; request a new one.')} />
        )}
        {requested && current?.status === 'ready' && (
          <p className="export-ready">
            <a className="button primary" href={requested.url} download="vioscan-export.json">
              Download your data (JSON)
            </a>{' '}
            <span className="hint">Link valid until {when(current.expiresAt)}.</span>
          </p>
        )}
      </div>
      <button type="button" className="button secondary" disabled={busy} onClick={() => void start()}>
        {busy ? 'Requesting…' : 'Request a data export'}
      </button>
      {earlier.length > 0 && (
        <details className="export-history">
          <summary>Earlier exports ({earlier.length})</summary>
          <ul>
            {earlier.map((e) => (
              <li key={e.id}>
                Requested {when(e.createdAt)}: {e.expired ? 'expired' : e.status}. Its link was shown once;
                request a new export to download again.
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}

function DeleteAccount({ onDeleted }: { onDeleted: (result: Deleted) => void }) {
  const { signOut } = useSession();
  const { navigate } = useRouter();
  const [phrase, setPhrase] = useState('');
  const { busy, error, run } = useAction();
  const ready = phrase.trim().toLowerCase() === DELETE_CONFIRMATION;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (ready) await run(async () => onDeleted(await privacyApi.deleteAccount(phrase)));
  };
  const reauth = error instanceof ApiError && error.code === 'reauth_required';
  return (
    <>
      <p>Deleting your account is immediate and cannot be undone:</p>
      <ul className="delete-effects">
        <li>You are signed out everywhere; every session and API token you created stops working.</li>
        <li>
          Your email address, IP addresses, consents, exports and support messages are erased; security events
          and audit entries stay, without your email or IP. Only billing references the law requires are kept.
          Encrypted backups age out within six months.
        </li>
        <li>
          Organisations you own: if another owner exists, nothing changes. Otherwise ownership passes to the
          longest-standing admin (or, failing that, member or viewer). An organisation with nobody else in it
          is deleted with its sites, scans and findings.
        </li>
        <li>We email you a receipt. Signing in again later creates a new, empty account.</li>
      </ul>
      <p className="hint">
        For your protection this needs a sign-in (or a second-factor check) in the last 20 minutes.
      </p>
      {reauth ? (
        <div className="state state-error" role="alert">
          <p>
            <strong>Verify it’s you first.</strong> Your last sign-in was more than 20 minutes ago. Sign in
            again, then come back to this page.
          </p>
          <button
            type="button"
            className="button secondary"
            onClick={() => void signOut().then(() => navigate(href('signIn')))}
          >
            Sign out and sign in again
          </button>
        </div>
      ) : (
        error !== undefined && <ErrorState error={error} />
      )}
      <form className="form delete-form" onSubmit={(event) => void submit(event)}>
        <label htmlFor="delete-confirm">
          Type <strong>“{DELETE_CONFIRMATION}”</strong> to confirm
        </label>
        <input
          id="delete-confirm"
          autoComplete="off"
          value={phrase}
          onChange={(event) => setPhrase(event.target.value)}
        />
        {!ready && (
          <p className="hint" id="delete-why">
            The button works once the phrase above is typed exactly.
          </p>
        )}
        <button
          type="submit"
          className="button danger"
          disabled={!ready || busy}
          aria-describedby={ready ? undefined : 'delete-why'}
        >
          {busy ? 'Deleting…' : 'Delete my account'}
        </button>
      </form>
    </>
  );
}

export function PrivacyPage() {
  const { state, refresh } = useSession();
  const [deleted, setDeleted] = useState<Deleted>();
  const afterDelete = (result: Deleted) => {
    setDeleted(result);
    // The server ended the session and cleared the cookie: the shell now shows "Sign in".
    void refresh();
  };
  return (
    <>
      <PageTitle lead="What you have agreed to, a copy of your data, and closing your account.">
        Privacy and your data
      </PageTitle>
      {deleted ? (
        <div className="card" role="status" data-testid="account-deleted">
          <h2>Your account has been deleted</h2>
          <p>
            You are signed out.{' '}
            {deleted.orgsTransferred > 0 &&
              `${deleted.orgsTransferred} organisation${deleted.orgsTransferred === 1 ? ' was' : 's were'} handed over to another member. `}
            {deleted.orgsDeleted > 0 &&
              `${deleted.orgsDeleted} organisation${deleted.orgsDeleted === 1 ? ' was' : 's were'} deleted with its data. `}
            A receipt is on its way to your inbox.
          </p>
          <p>
            <Link to={href('landing')}>Back to the start page</Link>
          </p>
        </div>
      ) : (
        <>
          {state.status === 'loading' && <Loading />}
          {state.status === 'error' && <ErrorState error={state.error} />}
          {state.status === 'signed-out' && (
            <Empty>
              You are not signed in. <Link to={href('signIn')}>Sign in</Link> to manage your privacy settings.
            </Empty>
          )}
          {state.status === 'signed-in' && (
            <div className="settings">
              <p>
                <Link to={href('account')}>← Account settings</Link>
              </p>
              <section className="card" aria-labelledby="consents-heading">
                <h2 id="consents-heading">Consents</h2>
                <Consents />
              </section>
              <section className="card" aria-labelledby="export-heading">
                <h2 id="export-heading">Download your data</h2>
                <DataExport />
              </section>
              <section className="card danger-zone" aria-labelledby="delete-heading">
                <h2 id="delete-heading">Delete your account</h2>
                <DeleteAccount onDeleted={afterDelete} />
              </section>
            </div>
          )}
        </>
      )}
    </>
  );
}
