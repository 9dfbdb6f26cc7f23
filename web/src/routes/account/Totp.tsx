import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { TotpSetup } from '../../api/account-security-types.ts';
import { mfaApi } from '../../api/mfa.ts';
import { Confirmable } from '../../components/Confirm.tsx';
import { QrCode } from '../../components/QrCode.tsx';
import { ErrorState } from '../../components/States.tsx';
import { useAction } from '../../components/useAction.ts';
import { CopyButton } from '../../components/CopyButton.tsx';

type Guarded = <T>(action: () => Promise<T>) => Promise<T>;

/** The secret in groups of four, easier to type into an app by hand. */
const grouped = (secret: string) => secret.replace(/(.{4})/g, '$1 ').trim();

function RecoveryCodes({ codes, intro, onDone }: { codes: string[]; intro: string; onDone(): void }) {
  const text = `VIOscan recovery codes (each works once)\n\n${codes.join('\n')}\n`;
  const url = useMemo(() => URL.createObjectURL(new Blob([text], { type: 'text/plain' })), [text]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return (
    <div className="recovery" data-testid="recovery-codes">
      <h3>Your recovery codes</h3>
      <p role="status">
        {intro} Store these recovery codes somewhere safe now: <strong>they are shown only once</strong>. Each
        one signs you in once if you lose the app.
      </p>
      <ol className="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div className="actions">
        <CopyButton text={text} label="Copy codes" />
        <a className="button secondary" href={url} download="vioscan-recovery-codes.txt">
          Download as text
        </a>
        <button type="button" className="button primary" onClick={onDone}>
          I have saved them
        </button>
      </div>
    </div>
  );
}

/** Authenticator app (TOTP, RFC 6238): enrol with a QR code or the secret, confirm, remove. */
export function TotpSection({
  enabled,
  guarded,
  onChanged,
}: {
  enabled: boolean;
  guarded: Guarded;
  onChanged(): Promise<void>;
}) {
  const [setup, setSetup] = useState<TotpSetup>();
  const [code, setCode] = useState('');
  const [recoveryCodes, setRecoveryCodes] = useState<{ codes: string[]; intro: string }>();
  const [confirming, setConfirming] = useState<'remove' | 'regenerate'>();
  const { busy, error, run } = useAction();

  const start = () => void run(async () => setSetup(await guarded(() => mfaApi.totpSetup())));
  const confirm = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const { recoveryCodes: codes } = await guarded(() => mfaApi.totpEnable(code.trim()));
      setSetup(undefined);
      setCode('');
      setRecoveryCodes({ codes, intro: 'The authenticator app is on.' });
    });
  };
  const regenerate = () =>
    void run(async () => {
      const { recoveryCodes: codes } = await guarded(() => mfaApi.recoveryRegenerate());
      setConfirming(undefined);
      setRecoveryCodes({ codes, intro: 'New recovery codes are ready; the old ones no longer work.' });
    });
  const remove = () =>
    void run(async () => {
      await guarded(() => mfaApi.totpRemove());
      setConfirming(undefined);
      await onChanged();
    });

  let body;
  if (recoveryCodes) {
    body = (
      <RecoveryCodes
        codes={recoveryCodes.codes}
        intro={recoveryCodes.intro}
        onDone={() => {
          setRecoveryCodes(undefined);
          void onChanged();
        }}
      />
    );
  } else if (setup) {
    body = (
      <div className="totp-setup">
        <ol className="steps">
          <li>
            <p>Scan this QR code with an authenticator app (for example Aegis, 2FAS or 1Password).</p>
            <QrCode text={setup.uri} label="QR code for your authenticator app" />
          </li>
          <li>
            <p>Or enter this secret by hand (time-based, 6 digits, 30 seconds):</p>
            <p className="secret">
              <code data-testid="totp-secret">{grouped(setup.secret)}</code>{' '}
              <CopyButton text={setup.secret} label="Copy secret" />
            </p>
          </li>
          <li>
            <form className="form" onSubmit={confirm}>
              <label htmlFor="totp-confirm-code">Then enter the 6-digit code the app shows</label>
              <input
                id="totp-confirm-code"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]{6}"
                required
                maxLength={6}
                value={code}
                onChange={(event) => setCode(event.target.value)}
                disabled={busy}
              />
              <div className="actions">
                <button type="submit" className="button primary" disabled={busy}>
                  {busy ? 'Checking…' : 'Turn on'}
                </button>
                <button
                  type="button"
                  className="button ghost"
                  disabled={busy}
                  onClick={() => setSetup(undefined)}
                >
                  Cancel
                </button>
              </div>
            </form>
          </li>
        </ol>
      </div>
    );
  } else if (enabled) {
    body = (
      <>
        <p>
          <span className="badge fact-live">On</span> An authenticator app protects this account. You can also
          sign in with one of your recovery codes.
        </p>
        <div className="actions totp-actions">
          <Confirmable
            asking={confirming === 'regenerate'}
            ask="Generate new recovery codes"
            onAsk={() => setConfirming('regenerate')}
            label="Confirm generating new recovery codes"
            confirm="Yes, generate new codes"
            working="Generating…"
            cancel="Keep the current codes"
            disabled={confirming === 'remove'}
            busy={busy && confirming === 'regenerate'}
            onConfirm={regenerate}
            onCancel={() => setConfirming(undefined)}
          >
            <p>
              Make ten new recovery codes? Every code you have now, used or not, stops working at once, and
              the new ones are shown only once.
            </p>
          </Confirmable>
          <Confirmable
            asking={confirming === 'remove'}
            ask="Remove authenticator app"
            onAsk={() => setConfirming('remove')}
            label="Confirm removing the authenticator app"
            confirm="Yes, remove it"
            working="Removing…"
            cancel="Keep it"
            disabled={confirming === 'regenerate'}
            busy={busy && confirming === 'remove'}
            onConfirm={remove}
            onCancel={() => setConfirming(undefined)}
          >
            <p>
              Remove the authenticator app and its recovery codes? Your other sessions will be signed out.
            </p>
          </Confirmable>
        </div>
      </>
    );
  } else {
    body = (
      <>
        <p>
          <span className="badge fact-off">Off</span> Add an authenticator app so that a stolen mailbox alone
          is not enough to get into your account.
        </p>
        <button type="button" className="button primary" disabled={busy} onClick={start}>
          {busy ? 'Starting…' : 'Set up authenticator app'}
        </button>
      </>
    );
  }

  return (
    <section className="card" aria-labelledby="totp-heading">
      <h2 id="totp-heading">Authenticator app</h2>
      {body}
      {error !== undefined && <ErrorState error={error} />}
    </section>
  );
}
