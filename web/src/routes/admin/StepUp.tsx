import { ApiError } from '../../api/client.ts';
import { mfaApi } from '../../api/mfa.ts';
import { ErrorState, Loading } from '../../components/States.tsx';
import { useAsync } from '../../components/useAsync.ts';
import { href, Link } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { SecondFactor } from '../account/SecondFactor.tsx';

const isStepUp = (error: unknown): error is ApiError =>
  error instanceof ApiError && error.code === 'mfa_required';

/**
 * The server refuses every staff call without a recent second-factor verification (mfa_required,
 * ASVS 6.3.3). This shows the server's message and steps up with the account's factors (the
 * sign-in's SecondFactor form: authenticator code, recovery code or passkey); the session rotates.
 */
export function StepUp({ message, onVerified }: { message: string; onVerified: () => void }) {
  const { state, refresh } = useSession();
  const passkeys = useAsync(() => mfaApi.passkeys());
  const totp = state.status === 'signed-in' && state.current.user.totpEnabled;
  const hasPasskey = passkeys.status === 'done' && passkeys.data.passkeys.length > 0;
  return (
    <section className="card step-up" aria-labelledby="step-up-title">
      <h2 id="step-up-title">Verify it is you</h2>
      <p role="alert" className="state state-error">
        {message}
      </p>
      {passkeys.status === 'loading' ? (
        <Loading />
      ) : totp || hasPasskey ? (
        <SecondFactor
          totp={totp}
          passkeys={hasPasskey}
          idPrefix="step-up"
          onVerified={async () => {
            await refresh();
            onVerified();
          }}
        />
      ) : (
        <p>
          Your account has no second factor yet. Add an authenticator app or a passkey in{' '}
          <Link to={href('accountSecurity')}>two-factor authentication settings</Link>, then come back.
        </p>
      )}
    </section>
  );
}

/** A failed load: the step-up form when the server asks for one, else the server's message and details. */
export function LoadError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  if (isStepUp(error)) return <StepUp message={error.message} onVerified={onRetry} />;
  if (!(error instanceof ApiError)) return <ErrorState error={error} onRetry={onRetry} />;
  return (
    <>
      <ActionError error={error} />
      <button type="button" className="button secondary" onClick={onRetry}>
        Try again
      </button>
    </>
  );
}

/** A failed action: the server's message as it is, field details when it gave them. */
export function ActionError({ error, onVerified }: { error: unknown; onVerified?: () => void }) {
  if (isStepUp(error) && onVerified) return <StepUp message={error.message} onVerified={onVerified} />;
  const message =
    error instanceof ApiError || error instanceof Error ? error.message : 'The request failed. Try again.';
  const details =
    error instanceof ApiError && Array.isArray(error.details)
      ? (error.details as { path?: string; message?: string }[])
      : [];
  return (
    <div role="alert" className="state state-error">
      <p>{message}</p>
      {details.length > 0 && (
        <ul>
          {details.map((d, i) => (
            <li key={i}>
              {d.path ? `${d.path}: ` : ''}
              {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const formatTime = (iso: string | null | undefined): string =>
  iso ? new Date(iso).toLocaleString() : '—';
