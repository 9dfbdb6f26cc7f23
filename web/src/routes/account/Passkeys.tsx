import { browserSupportsWebAuthn } from '@simplewebauthn/browser';
import { useState, type FormEvent } from 'react';
import { mfaApi } from '../../api/mfa.ts';
import { Confirmable } from '../../components/Confirm.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { useAction } from '../../components/useAction.ts';
import type { AsyncState } from '../../components/useAsync.ts';
import type { PasskeyList } from '../../api/account-security-types.ts';
import { passkeyError } from './passkey-errors.ts';

type Guarded = <T>(action: () => Promise<T>) => Promise<T>;
const when = (iso: string) => new Date(iso).toLocaleString();

/** Passkeys (WebAuthn) as a second factor: list, add through the browser's prompt, remove. */
export function PasskeysSection({
  state,
  guarded,
  onChanged,
}: {
  state: AsyncState<PasskeyList> & { reload(): void };
  guarded: Guarded;
  onChanged(): void;
}) {
  const [name, setName] = useState('');
  const [confirming, setConfirming] = useState<string>();
  const { busy, pending, error, run: act } = useAction(passkeyError);
  const supported = browserSupportsWebAuthn();

  const run = (key: string, action: () => Promise<unknown>) =>
    act(async () => {
      await action();
      onChanged();
    }, key);
  const add = (event: FormEvent) => {
    event.preventDefault();
    void run('add', async () => {
      await guarded(() => mfaApi.addPasskey(name));
      setName('');
    });
  };

  let list;
  if (state.status === 'loading') list = <Loading label="Loading passkeys…" />;
  else if (state.status === 'error') list = <ErrorState error={state.error} onRetry={state.reload} />;
  else if (state.data.passkeys.length === 0) list = <Empty>No passkeys yet.</Empty>;
  else
    list = (
      <ul className="item-list">
        {state.data.passkeys.map((p) => (
          <li key={p.id} className="item" data-testid="passkey">
            <div>
              <strong>{p.name}</strong>
              <p className="hint">
                Added {when(p.createdAt)} · {p.lastUsedAt ? `last used ${when(p.lastUsedAt)}` : 'never used'}
              </p>
            </div>
            <Confirmable
              asking={confirming === p.id}
              ask="Remove"
              askLabel={`Remove passkey ${p.name}`}
              onAsk={() => setConfirming(p.id)}
              label={`Confirm removing ${p.name}`}
              confirm="Yes, remove (signs out other sessions)"
              working="Removing…"
              cancel="Keep it"
              disabled={busy}
              busy={pending === p.id}
              onConfirm={() =>
                void run(p.id, async () => {
                  await guarded(() => mfaApi.removePasskey(p.id));
                  setConfirming(undefined);
                })
              }
              onCancel={() => setConfirming(undefined)}
            />
          </li>
        ))}
      </ul>
    );

  return (
    <section className="card" aria-labelledby="passkeys-heading">
      <h2 id="passkeys-heading">Passkeys</h2>
      <p className="hint">
        A passkey is a key stored in your device, phone or security key, unlocked with your fingerprint, face
        or PIN. It works only on this site, so it cannot be phished.
      </p>
      {list}
      {supported ? (
        <form className="form inline-form" onSubmit={add}>
          <label htmlFor="passkey-name">Name for a new passkey (optional)</label>
          <input
            id="passkey-name"
            maxLength={64}
            placeholder="e.g. Work laptop"
            value={name}
            onChange={(event) => setName(event.target.value)}
            disabled={busy}
          />
          <button type="submit" className="button primary" disabled={busy}>
            {pending === 'add' ? 'Waiting for your device…' : 'Add a passkey'}
          </button>
        </form>
      ) : (
        <p className="hint">This browser cannot create passkeys.</p>
      )}
      {error !== undefined && <ErrorState error={error} />}
    </section>
  );
}
