import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client.ts';
import { PageTitle } from '../components/States.tsx';
import { useAction } from '../components/useAction.ts';
import { href, Link, useRouter } from '../router.tsx';
import { useSession } from '../session.tsx';
import { SecondFactor } from './account/SecondFactor.tsx';
import { WelcomeStep } from './Welcome.tsx';
import '../styles/account-security.css';

function errorText(error: unknown): string {
  return error instanceof ApiError ? error.message : 'Something went wrong. Try again.';
}

/** The second step of signing in, for an account with TOTP or a passkey (the server holds the session until then). */
function FinishSignIn({
  factors,
  onVerified,
}: {
  factors: { totp: boolean; passkey: boolean };
  onVerified(): Promise<void>;
}) {
  const { signOut } = useSession();
  return (
    <section className="card" aria-labelledby="second-factor-heading">
      <h2 id="second-factor-heading">Second factor</h2>
      <p className="hint">
        {factors.totp && factors.passkey
          ? 'Enter the code from your authenticator app or a recovery code, or use a passkey.'
          : factors.totp
            ? 'Enter the code from your authenticator app, or one of your recovery codes.'
            : 'Confirm with your passkey.'}
      </p>
      <SecondFactor totp={factors.totp} passkeys={factors.passkey} onVerified={onVerified} />
      <button type="button" className="button ghost" onClick={() => void signOut()}>
        Cancel and sign out
      </button>
    </section>
  );
}

export function SignInPage() {
  const { navigate } = useRouter();
  const { refresh } = useSession();
  const { state } = useSession();
  const [step, setStep] = useState<'email' | 'code'>('email');
  const [email, setEmail] = useState('');
  const [accepted, setAccepted] = useState(false);
  const [code, setCode] = useState('');
  const [notice, setNotice] = useState('');
  const [welcome, setWelcome] = useState(false);
  const { busy, error, run } = useAction();

  const sendEmail = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const answer = await api.signIn(email.trim());
      setNotice(answer.message);
      setStep('code');
    });
  };

  const finish = async () => {
    await refresh();
    navigate(href('account'));
  };

  const sendCode = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const { pendingSecondFactor, created } = await api.signInCode(code.trim());
      // The server holds the session until the account's second factor is verified (it then rotates).
      if (pendingSecondFactor) {
        await refresh();
        return;
      }
      // A new account: signed in already, the welcome step comes before the account page.
      if (created) {
        await refresh();
        setWelcome(true);
        return;
      }
      await finish();
    });
  };

  return (
    <div className="narrow">
      <PageTitle lead="No password: we email you a one-time code and a link.">Sign in</PageTitle>
      {welcome && state.status === 'signed-in' ? (
        <WelcomeStep onDone={() => navigate(href('account'))} />
      ) : state.status === 'second-factor' && state.current.pendingSecondFactor ? (
        <FinishSignIn factors={state.current.pendingSecondFactor} onVerified={finish} />
      ) : step === 'email' ? (
        <form className="card form" onSubmit={sendEmail}>
          <label htmlFor="email">Email address</label>
          <input
            id="email"
            type="email"
            autoComplete="email"
            required
            maxLength={254}
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            disabled={busy}
          />
          <div className="checkbox">
            <input
              id="accept-terms"
              type="checkbox"
              required
              checked={accepted}
              onChange={(event) => setAccepted(event.target.checked)}
              disabled={busy}
            />
            <label htmlFor="accept-terms">
              I accept the terms of service and the privacy notice (see{' '}
              <Link to={href('security')}>Security &amp; Privacy</Link>
              ).
            </label>
          </div>
          <button
            type="submit"
            className="button primary"
            disabled={busy || !accepted || email.trim() === ''}
          >
            {busy ? 'Sending…' : 'Email me a code'}
          </button>
          {error !== undefined && (
            <p className="state state-error" role="alert">
              {errorText(error)}
            </p>
          )}
        </form>
      ) : (
        <form className="card form" onSubmit={sendCode}>
          <p role="status">{notice}</p>
          <p className="hint">
            Sent to <strong>{email}</strong>. Enter the code from the email, or open its link in this browser.
          </p>
          <label htmlFor="code">Code</label>
          <input
            id="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            maxLength={16}
            value={code}
            onChange={(event) => setCode(event.target.value)}
            disabled={busy}
          />
          <button type="submit" className="button primary" disabled={busy || code.trim() === ''}>
            {busy ? 'Checking…' : 'Sign in'}
          </button>
          <button type="button" className="button ghost" onClick={() => setStep('email')} disabled={busy}>
            Use another address
          </button>
          {error !== undefined && (
            <p className="state state-error" role="alert">
              {errorText(error)}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
