import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { orgRoleCan, type OrgPermission } from '../../../../src/modules/auth/permissions.ts';
import { ApiError } from '../../api/http.ts';
import type { Org } from '../../api/types.ts';
import { OrgRequired } from '../../components/OrgRequired.tsx';
import { PageTitle } from '../../components/States.tsx';
import { useAction } from '../../components/useAction.ts';
import type { AsyncState } from '../../components/useAsync.ts';
import { href, Link } from '../../router.tsx';
import '../../styles/org.css';

/**
 * Whether the signed-in member's role holds `permission`, read from THE permission matrix
 * (src/modules/auth/permissions.ts), so a screen offers only what the server would accept.
 */
export const can = (org: Org, permission: OrgPermission): boolean =>
  !!org.role && orgRoleCan(org.role, permission);

const ROLE_NAMES = { owner: 'Owner', admin: 'Admin', member: 'Member', viewer: 'Viewer' } as const;
export const roleName = (role: keyof typeof ROLE_NAMES): string => ROLE_NAMES[role];

/** The three settings screens share a title, the tabs and the current organisation. */
export function OrgSettingsLayout({ children }: { children: (org: Org) => ReactNode }) {
  return (
    <div className="org-settings">
      <PageTitle lead="Settings of the organisation selected at the top of the page.">Organisation</PageTitle>
      <nav aria-label="Organisation settings" className="org-tabs">
        <Link to={href('org')}>General</Link>
        <Link to={href('orgMembers')}>Members</Link>
        <Link to={href('orgAlerts')}>Alerts</Link>
      </nav>
      <OrgRequired>
        {(org) => (
          <>
            <p className="org-role" data-testid="org-role">
              {org.name} · your role: <strong>{org.role ? roleName(org.role) : 'none'}</strong>
            </p>
            {children(org)}
          </>
        )}
      </OrgRequired>
    </div>
  );
}

/** Field names of the server's validation details, in words. */
const FIELDS: Record<string, string> = {
  url: 'Address',
  name: 'Name',
  email: 'Email',
  events: 'Events',
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

/** What the member can do about a refusal, where the server's generic message does not say it. */
const HELP: Record<string, string> = {
  target_not_allowed:
    'This address is not allowed: a webhook needs an http(s) address of a public host that resolves, not a private, loopback, link-local or cloud metadata address.',
  forbidden: 'Your role in this organisation does not allow this.',
  not_found: 'It no longer exists, or you are no longer a member of this organisation.',
};

/** A failed action: the server's message (or what to do about it) and each invalid field. */
export function ActionError({ error }: { error: unknown }) {
  const message =
    error instanceof ApiError ? (HELP[error.code] ?? error.message) : 'Something went wrong. Try again.';
  const details =
    error instanceof ApiError && Array.isArray(error.details)
      ? (error.details as { path?: string; message?: string }[])
      : [];
  return (
    <div role="alert" className="state state-error org-error">
      <p>{message}</p>
      {details.length > 0 && (
        <ul>
          {details.map((d, i) => {
            const field = d.path?.split(/[./]/).filter(Boolean).at(-1) ?? '';
            return (
              <li key={i}>
                {field ? `${FIELDS[field] ?? field}: ` : ''}
                {d.message}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

/**
 * The shared useAction (one action at a time, its failure kept) plus the success notice a settings
 * form shows: `run(key, action)` where `action` may resolve to the notice text.
 */
export function useSettingsAction() {
  const action = useAction();
  const [notice, setNotice] = useState<string>();
  const run = (key: string, task: () => Promise<string | void>): Promise<boolean> => {
    setNotice(undefined);
    return action.run(async () => {
      const done = await task();
      if (done) setNotice(done);
    }, key);
  };
  return { ...action, notice, run };
}

/** The outcome of the last action under a form: a polite notice, or the error as an alert. */
export function Outcome({ error, notice }: { error: unknown; notice: string | undefined }) {
  return (
    <>
      {error !== undefined && <ActionError error={error} />}
      <p className="org-notice" role="status">
        {notice ?? ''}
      </p>
    </>
  );
}

/**
 * Like useAsync, but `refresh` keeps showing the current data until the new answer arrives (so a
 * form under a list keeps its state and notice) and resolves once the list is up to date.
 */
export function useRefreshable<T>(load: () => Promise<T>): AsyncState<T> & { refresh(): Promise<void> } {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const loader = useRef(load);
  loader.current = load;
  const refresh = useCallback(async () => {
    try {
      const data = await loader.current();
      setState({ status: 'done', data });
    } catch (error) {
      setState({ status: 'error', error });
    }
  }, []);
  // The screens that use this are keyed by organisation: one first load per mount.
  useEffect(() => void refresh(), [refresh]);
  return { ...state, refresh };
}
