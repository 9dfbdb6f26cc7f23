import { api } from '../api/client.ts';
import type { Session } from '../api/types.ts';
import { Empty, ErrorState, Loading, PageTitle } from '../components/States.tsx';
import { useAction } from '../components/useAction.ts';
import { useAsync } from '../components/useAsync.ts';
import { href, Link } from '../router.tsx';
import { useSession } from '../session.tsx';

const when = (iso: string) => new Date(iso).toLocaleString();

function Sessions() {
  const state = useAsync(() => api.sessions());
  const { busy, pending, error, run } = useAction();
  const act = (key: string, action: () => Promise<unknown>) =>
    run(async () => {
      await action();
      state.reload();
    }, key);
  if (state.status === 'loading') return <Loading label="Loading sessions…" />;
  if (state.status === 'error') return <ErrorState error={state.error} onRetry={state.reload} />;
  const sessions: Session[] = state.data.sessions;
  const others = sessions.filter((s) => !s.current);
  return (
    <>
      {error !== undefined && <ErrorState error={error} />}
      <ul className="session-list">
        {sessions.map((s) => (
          <li key={s.id} className="card session-item" data-testid="session">
            <div>
              <strong>{s.device}</strong> {s.current && <span className="badge fact-live">This browser</span>}
              <p className="hint">
                {s.ip ?? 'unknown IP'} · signed in {when(s.createdAt)} · last active {when(s.lastSeenAt)}
              </p>
            </div>
            {!s.current && (
              <button
                type="button"
                className="button secondary"
                disabled={busy}
                onClick={() => void act(s.id, () => api.revokeSession(s.id))}
                aria-label={`Sign out ${s.device}, signed in ${when(s.createdAt)}`}
              >
                {pending === s.id ? 'Signing out…' : 'Sign out'}
              </button>
            )}
          </li>
        ))}
      </ul>
      {others.length === 0 ? (
        <Empty>No other active sessions.</Empty>
      ) : (
        <button
          type="button"
          className="button secondary"
          disabled={busy}
          onClick={() => void act('others', () => api.revokeOtherSessions())}
        >
          Sign out everywhere else
        </button>
      )}
    </>
  );
}

export function AccountPage() {
  const { state } = useSession();
  return (
    <>
      <PageTitle>Account settings</PageTitle>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <ErrorState error={state.error} />}
      {state.status === 'signed-out' && (
        <Empty>
          You are not signed in. <Link to={href('signIn')}>Sign in</Link> to manage your account.
        </Empty>
      )}
      {state.status === 'signed-in' && (
        <div className="settings">
          <section className="card" aria-labelledby="profile-heading">
            <h2 id="profile-heading">Profile</h2>
            <dl className="facts">
              <div className="fact">
                <dt>Email</dt>
                <dd>{state.current.user.email}</dd>
              </div>
              <div className="fact">
                <dt>Role</dt>
                <dd>{state.current.user.platformRole}</dd>
              </div>
            </dl>
          </section>
          <section className="card" aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">Active sessions and devices</h2>
            <Sessions />
          </section>
          <section className="card" aria-labelledby="privacy-heading">
            <h2 id="privacy-heading">Privacy and your data</h2>
            <p>
              Consents, a download of your data and account deletion:{' '}
              <Link to={href('privacy')}>manage privacy settings</Link>.
            </p>
          </section>
          <section className="card" aria-labelledby="mfa-heading">
            <h2 id="mfa-heading">Two-factor authentication</h2>
            <p>
              {state.current.user.totpEnabled
                ? 'An authenticator app (TOTP) protects this account.'
                : 'No authenticator app yet: add one, or a passkey, so your mailbox alone cannot sign you in.'}{' '}
              <Link to={href('accountSecurity')}>Manage two-factor authentication</Link>
            </p>
          </section>
          <section className="card" aria-labelledby="tokens-heading">
            <h2 id="tokens-heading">API tokens</h2>
            <p>
              API tokens let the CLI and CI use the API for an organisation.{' '}
              <Link to={href('accountTokens')}>Manage API tokens</Link>
            </p>
          </section>
        </div>
      )}
    </>
  );
}
