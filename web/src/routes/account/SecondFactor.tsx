import { useState, type FormEvent } from 'react';
import { mfaApi } from '../../api/mfa.ts';
import { ErrorState } from '../../components/States.tsx';
import { useAction } from '../../components/useAction.ts';
import { passkeyError } from './passkey-errors.ts';

type Method = 'totp' | 'recovery';

/**
 * Asks for the second factor: a code from the authenticator app, a single-use recovery code, or a
 * passkey. Each success rotates the session (new cookie and CSRF token) before `onVerified` runs.
 * Used after the emailed code at sign-in and before adding or removing a factor.
 */
export function SecondFactor({
  totp,
  passkeys,
  onVerified,
  idPrefix = 'second-factor',
}: {
  totp: boolean;
  passkeys: boolean;
  onVerified(): void | Promise<void>;
  idPrefix?: string;
}) {
  const [method, setMethod] = useState<Method>('totp');
  const [code, setCode] = useState('');
  const { busy, error, setError, run: act } = useAction(passkeyError);
  const run = (action: () => Promise<unknown>) =>
    act(async () => {
      await action();
      await onVerified();
    });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = code.trim();
    void run(() => (method === 'totp' ? mfaApi.totpVerify(value) : mfaApi.recoveryVerify(value)));
  };
  const switchTo = (next: Method) => {
    setMethod(next);
    setCode('');
    setError(undefined);
  };
  const inputId = `${idPrefix}-code`;

  return (
    <div className="second-factor">
      {totp && (
        <form className="form" onSubmit={submit}>
          <label htmlFor={inputId}>
            {method === 'totp' ? 'Code from your authenticator app' : 'Recovery code'}
          </label>
          <input
            id={inputId}
            inputMode={method === 'totp' ? 'numeric' : 'text'}
            autoComplete="one-time-code"
            required
            maxLength={32}
            value={code}
            onChange={(event) => setCode(event.target.value)}
            disabled={busy}
          />
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Checking…' : 'Verify'}
          </button>
          <button
            type="button"
            className="button ghost"
            disabled={busy}
            onClick={() => switchTo(method === 'totp' ? 'recovery' : 'totp')}
          >
            {method === 'totp' ? 'Use a recovery code instead' : 'Use the authenticator app instead'}
          </button>
        </form>
      )}
      {passkeys && (
        <button
          type="button"
          className="button secondary"
          disabled={busy}
          onClick={() => void run(() => mfaApi.verifyPasskey())}
        >
          Use a passkey
        </button>
      )}
      {error !== undefined && <ErrorState error={error} />}
    </div>
  );
}
