import { errorMessage } from '../components/errors.ts';
import { privacyApi } from '../api/privacy.ts';
import { ErrorState, Loading, PageTitle } from '../components/States.tsx';
import { useAction } from '../components/useAction.ts';
import { href, Link, useRouter } from '../router.tsx';
import { useSession } from '../session.tsx';

/**
 * First run: a new account is asked once for the optional product-email consent, with nothing
 * chosen for them. *Yes* records it (PUT /account/consents/product_email); *No thanks* records nothing.
 * Shown on /sign-in after a code, and on /welcome, where the server sends a new account's link sign-in.
 */
export function WelcomeStep({ onDone }: { onDone(): void }) {
  const { busy, error, run } = useAction();
  const answer = (yes: boolean) =>
    void run(async () => {
      if (yes) await privacyApi.setConsent('product_email', true);
      onDone();
    });
  return (
    <section className="card" aria-labelledby="welcome-heading">
      <h2 id="welcome-heading">Welcome to VIOscan</h2>
      <p>Your account is ready. One optional question before you start:</p>
      <p id="welcome-question">
        <strong>May we email you occasional product news?</strong> No more than a few times a year; never
        needed to use VIOscan. You can change this any time in{' '}
        <Link to={href('privacy')}>Privacy settings</Link>.
      </p>
      <div className="actions" role="group" aria-labelledby="welcome-question">
        <button type="button" className="button primary" disabled={busy} onClick={() => answer(true)}>
          Yes, email me product news
        </button>
        <button type="button" className="button secondary" disabled={busy} onClick={() => answer(false)}>
          No thanks
        </button>
      </div>
      {error !== undefined && (
        <p className="state state-error" role="alert">
          {errorMessage(error)}
        </p>
      )}
    </section>
  );
}

/** /welcome: where a new account's emailed link lands (POST /auth/confirm answers 303 here). */
export function WelcomePage() {
  const { navigate } = useRouter();
  const { state, refresh } = useSession();
  return (
    <div className="narrow">
      <PageTitle lead="Signed in with the link from your email.">Welcome</PageTitle>
      {state.status === 'loading' ? (
        <Loading label="Loading your account…" />
      ) : state.status === 'error' ? (
        <ErrorState error={state.error} onRetry={() => void refresh()} />
      ) : state.status === 'signed-in' ? (
        <WelcomeStep onDone={() => navigate(href('start'))} />
      ) : (
        <p className="state state-error" role="alert">
          You are not signed in. <Link to={href('signIn')}>Sign in</Link> to continue.
        </p>
      )}
    </div>
  );
}
