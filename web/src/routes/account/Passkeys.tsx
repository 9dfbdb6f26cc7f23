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

/** Passkeys (WebAuthn) as a second factor: list, add through the browser's prompt, rename, remove. */
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
  const [renaming, setRenaming] = useState<{ id: string; name: string }>();
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

  const rename = (event: FormEvent) => {
    event.preventDefault();
    if (!renaming) return;
    const { id, name: newName } = renaming;
    void run(`rename:${id}`, async () => {
      await mfaApi.renamePasskey(id, newName);
      setRenaming(undefined);
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
            <div className="passkey-info">
              {renaming?.id === p.id ? (
                <form className="rename-form" onSubmit={rename}>
                  <label htmlFor={`passkey-rename-${p.id}`}>New name for {p.name}</label>
                  <input
                    id={`passkey-rename-${p.id}`}
                    maxLength={64}
                    required
                    value={renaming.name}
                    onChange={(event) => setRenaming({ id: p.id, name: event.target.value })}
                    disabled={busy}
                  />
                  <button type="submit" className="button primary" disabled={busy}>
                    {pending === `rename:${p.id}` ? 'Saving…' : 'Save'}
                  </button>
                  <button
                    type="button"
                    className="button ghost"
                    disabled={busy}
                    onClick={() => setRenaming(undefined)}
                  >
                    Cancel
                  </button>
                </form>
              ) : (
                <strong>{p.name}</strong>
              )}
              <p className="hint">
                Added {when(p.createdAt)} · {p.lastUsedAt ? `last used ${when(p.lastUsedAt)}` : 'never used'}
              </p>
            </div>
            <div className="actions">
              {renaming?.id !== p.id && confirming !== p.id && (
                <button
                  type="button"
                  className="button secondary"
                  disabled={busy}
                  aria-label={`Rename passkey ${p.name}`}
                  onClick={() => setRenaming({ id: p.id, name: p.name })}
                >
                  Rename
                </button>
              )}
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
            </div>
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
