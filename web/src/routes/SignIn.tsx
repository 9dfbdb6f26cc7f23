import { useState, type FormEvent } from 'react';
import { api } from '../api/client.ts';
import { errorMessage } from '../components/errors.ts';
import { FormProblems, useFormProblems } from '../components/FormProblems.tsx';
import { PageTitle } from '../components/States.tsx';
import { useAction } from '../components/useAction.ts';
import { href, Link, useRouter } from '../router.tsx';
import { useSession } from '../session.tsx';
import { SecondFactor } from './account/SecondFactor.tsx';
import { WelcomeStep } from './Welcome.tsx';
import '../styles/account-security.css';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

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
  const problems = useFormProblems();

  const sendEmail = (event: FormEvent) => {
    event.preventDefault();
    const found = problems.check([
      [
        'email',
        email.trim() === ''
          ? 'Email address: enter the address we should send the code to.'
          : !EMAIL.test(email.trim())
            ? 'Email address: this does not look like an email address (name@example.com).'
            : undefined,
      ],
      [
        'accept-terms',
        accepted ? undefined : 'Terms: tick the box to accept the terms and the privacy notice.',
      ],
    ]);
    if (found) return;
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
  // A new account goes on to the guided start (organisation → site → verification → first scan).
  const startGuide = () => navigate(href('start'));

  const sendCode = (event: FormEvent) => {
    event.preventDefault();
    if (
      problems.check([
        ['code', code.trim() === '' ? 'Code: enter the 6-digit code from the email.' : undefined],
      ])
    )
      return;
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
      <PageTitle lead="No password: we email you a one-time code and a link. New to VIOscan? The same form creates your account.">
        Sign in
      </PageTitle>
      {welcome && state.status === 'signed-in' ? (
        <WelcomeStep onDone={startGuide} />
      ) : state.status === 'second-factor' && state.current.pendingSecondFactor ? (
        <FinishSignIn factors={state.current.pendingSecondFactor} onVerified={finish} />
      ) : step === 'email' ? (
        <form className="card form" onSubmit={sendEmail} noValidate>
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
            {...problems.field('email')}
          />
          <div className="checkbox">
            <input
              id="accept-terms"
              type="checkbox"
              required
              checked={accepted}
              onChange={(event) => setAccepted(event.target.checked)}
              disabled={busy}
              {...problems.field('accept-terms')}
            />
            <label htmlFor="accept-terms">
              I accept the terms of service and the privacy notice (see{' '}
              <Link to={href('security')}>Security &amp; Privacy</Link>
              ).
            </label>
          </div>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Sending…' : 'Email me a code'}
          </button>
          <FormProblems problems={problems} />
          {error !== undefined && (
            <p className="state state-error" role="alert">
              {errorMessage(error)}
            </p>
          )}
        </form>
      ) : (
        <form className="card form" onSubmit={sendCode} noValidate>
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
            {...problems.field('code')}
          />
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Checking…' : 'Sign in'}
          </button>
          <FormProblems problems={problems} />
          <button type="button" className="button ghost" onClick={() => setStep('email')} disabled={busy}>
            Use another address
          </button>
          {error !== undefined && (
            <p className="state state-error" role="alert">
              {errorMessage(error)}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
