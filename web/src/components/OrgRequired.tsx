import { useState, type FormEvent, type ReactNode } from 'react';
import type { Org } from '../api/types.ts';
import { useOrg } from '../org.tsx';
import { href, Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { ErrorState, Loading } from './States.tsx';
import { useAction } from './useAction.ts';

/**
 * Renders `children` with the current organisation. Signed-out visitors get a sign-in link and a
 * user without any organisation gets the form to create the first one.
 */
export function OrgRequired({ children }: { children: (org: Org) => ReactNode }) {
  const { state: session } = useSession();
  const { state, current, create, reload } = useOrg();
  const [name, setName] = useState('');
  const { busy, error, run } = useAction();

  if (session.status === 'signed-out')
    return (
      <div className="state state-empty">
        <p>
          <Link to={href('signIn')}>Sign in</Link> to see this page.
        </p>
      </div>
    );
  if (session.status === 'error') return <ErrorState error={session.error} />;
  if (state.status === 'error') return <ErrorState error={state.error} onRetry={() => void reload()} />;
  if (state.status !== 'ready') return <Loading />;
  if (current) return <>{children(current)}</>;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    return run(() => create(name.trim()));
  };
  return (
    <form className="card form" onSubmit={(event) => void submit(event)}>
      <h2>Create your organisation</h2>
      <p className="hint">
        Sites, scans, findings and API tokens belong to an organisation. You become its owner.
      </p>
      <label htmlFor="org-name">Organisation name</label>
      <input
        id="org-name"
        required
        maxLength={100}
        value={name}
        onChange={(event) => setName(event.target.value)}
        disabled={busy}
      />
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create organisation'}
      </button>
      {error !== undefined && <ErrorState error={error} />}
    </form>
  );
}
