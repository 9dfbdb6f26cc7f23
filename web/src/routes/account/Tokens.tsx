import { useState, type FormEvent } from 'react';
import { orgRoleCan, tokenScopes, type TokenScope } from '../../../../src/modules/auth/permissions.ts';
import type { CreatedApiToken } from '../../api/account-security-types.ts';
import { tokensApi } from '../../api/tokens.ts';
import type { Org } from '../../api/types.ts';
import { Confirmable } from '../../components/Confirm.tsx';
import { OrgRequired } from '../../components/OrgRequired.tsx';
import { Empty, ErrorState, Loading, PageTitle } from '../../components/States.tsx';
import { useAction } from '../../components/useAction.ts';
import { useAsync } from '../../components/useAsync.ts';
import { href, Link } from '../../router.tsx';
import { CopyButton } from '../../components/CopyButton.tsx';
import '../../styles/account-security.css';
import { TableScroll } from '../../components/TableScroll.tsx';

const when = (iso: string | null, none: string) => (iso ? new Date(iso).toLocaleDateString() : none);
const EXPIRY = [
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
  { days: 365, label: '1 year' },
  { days: 0, label: 'Never' },
];

function NewToken({ created, onDone }: { created: CreatedApiToken; onDone(): void }) {
  return (
    <section className="card new-token" aria-labelledby="new-token-heading" data-testid="new-token">
      <h2 id="new-token-heading">Your new API token</h2>
      <p role="status">
        Copy it now: <strong>it is shown only once</strong>. VIOscan keeps only a hash of it.
      </p>
      <label htmlFor="new-token-value">Token</label>
      <input id="new-token-value" className="token-value" readOnly value={created.token} />
      <div className="actions">
        <CopyButton text={created.token} label="Copy token" />
        <button type="button" className="button primary" onClick={onDone}>
          Done
        </button>
      </div>
      <p className="hint">
        Use it as <code>Authorization: Bearer …</code>, or set <code>VIOSCAN_TOKEN</code> for the CLI.
      </p>
    </section>
  );
}

function Tokens({ org }: { org: Org }) {
  const state = useAsync(() => tokensApi.list(org.id), [org.id]);
  // Only the scopes this member holds: the server refuses a token that would exceed its creator.
  const allowed = tokenScopes.filter((s) => !org.role || orgRoleCan(org.role, s));
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<TokenScope[]>(allowed.filter((s) => s.endsWith(':read')));
  const [expiry, setExpiry] = useState(90);
  const [created, setCreated] = useState<CreatedApiToken>();
  const [confirming, setConfirming] = useState<string>();
  const { busy, pending, error, run: act } = useAction();

  const run = (key: string, action: () => Promise<void>) =>
    act(async () => {
      await action();
      state.reload();
    }, key);
  const create = (event: FormEvent) => {
    event.preventDefault();
    void run('create', async () => {
      setCreated(
        await tokensApi.create(org.id, {
          name: name.trim(),
          scopes,
          ...(expiry > 0 && { expiresInDays: expiry }),
        }),
      );
      setName('');
    });
  };
  const toggle = (scope: TokenScope, on: boolean) =>
    setScopes((current) => (on ? [...current, scope] : current.filter((s) => s !== scope)));

  let list;
  if (state.status === 'loading') list = <Loading label="Loading tokens…" />;
  else if (state.status === 'error') list = <ErrorState error={state.error} onRetry={state.reload} />;
  else if (state.data.tokens.length === 0) list = <Empty>No API tokens in {org.name} yet.</Empty>;
  else
    list = (
      <TableScroll label={`API tokens of ${org.name}`}>
        <table>
          <caption className="visually-hidden">API tokens of {org.name}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Starts with</th>
              <th scope="col">Scopes</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {state.data.tokens.map((t) => (
              <tr key={t.id} data-testid="token-row">
                <td>{t.name}</td>
                <td>
                  <code>{t.prefix}…</code>
                </td>
                <td>{t.scopes.join(', ')}</td>
                <td>{when(t.createdAt, '')}</td>
                <td>{when(t.expiresAt, 'never')}</td>
                <td>{when(t.lastUsedAt, 'never')}</td>
                <td>
                  <Confirmable
                    asking={confirming === t.id}
                    ask="Revoke"
                    askLabel={`Revoke ${t.name}`}
                    onAsk={() => setConfirming(t.id)}
                    label={`Confirm revoking ${t.name}`}
                    confirm="Yes, revoke"
                    working="Revoking…"
                    cancel="Cancel"
                    disabled={busy}
                    busy={pending === t.id}
                    onConfirm={() =>
                      void run(t.id, async () => {
                        await tokensApi.revoke(org.id, t.id);
                        setConfirming(undefined);
                      })
                    }
                    onCancel={() => setConfirming(undefined)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    );

  return (
    <div className="settings">
      {created && <NewToken created={created} onDone={() => setCreated(undefined)} />}
      <section className="card" aria-labelledby="tokens-list-heading">
        <h2 id="tokens-list-heading">Tokens of {org.name}</h2>
        {list}
      </section>
      <section className="card" aria-labelledby="token-create-heading">
        <h2 id="token-create-heading">Create a token</h2>
        <form className="form" onSubmit={create}>
          <label htmlFor="token-name">Name</label>
          <input
            id="token-name"
            required
            maxLength={100}
            placeholder="e.g. CI pipeline"
            value={name}
            onChange={(event) => setName(event.target.value)}
            disabled={busy}
          />
          <fieldset className="scopes">
            <legend>Scopes (what the token may do)</legend>
            {allowed.map((scope) => (
              <div className="checkbox" key={scope}>
                <input
                  id={`scope-${scope}`}
                  type="checkbox"
                  checked={scopes.includes(scope)}
                  onChange={(event) => toggle(scope, event.target.checked)}
                  disabled={busy}
                />
                <label htmlFor={`scope-${scope}`}>
                  <code>{scope}</code>
                </label>
              </div>
            ))}
          </fieldset>
          <label htmlFor="token-expiry">Expires after</label>
          <select
            id="token-expiry"
            value={expiry}
            onChange={(event) => setExpiry(Number(event.target.value))}
            disabled={busy}
          >
            {EXPIRY.map((e) => (
              <option key={e.days} value={e.days}>
                {e.label}
              </option>
            ))}
          </select>
          <button
            type="submit"
            className="button primary"
            disabled={busy || scopes.length === 0}
            aria-describedby={scopes.length === 0 ? 'token-scopes-hint' : undefined}
          >
            {pending === 'create' ? 'Creating…' : 'Create token'}
          </button>
          {scopes.length === 0 && (
            <p className="hint" id="token-scopes-hint">
              Choose at least one scope: a token without one could do nothing.
            </p>
          )}
        </form>
      </section>
      {error !== undefined && <ErrorState error={error} />}
    </div>
  );
}

/** /account/tokens: the current organisation's API tokens (for the CLI and CI). */
export function TokensPage() {
  return (
    <>
      <PageTitle lead="Tokens let the CLI and CI pipelines use the API on behalf of an organisation.">
        API tokens
      </PageTitle>
      <p>
        <Link to={href('account')}>← Account settings</Link>
      </p>
      <OrgRequired>{(org) => <Tokens key={org.id} org={org} />}</OrgRequired>
    </>
  );
}
