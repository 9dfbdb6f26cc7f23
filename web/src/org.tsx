import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { orgsApi } from './api/orgs.ts';
import type { Org } from './api/types.ts';
import { useSession } from './session.tsx';

const STORAGE_KEY = 'vioscan.org';

type OrgState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; orgs: Org[]; current: Org | undefined };

interface OrgContextValue {
  state: OrgState;
  /** The organisation screens act on; undefined until loaded or when the user has none. */
  current: Org | undefined;
  select(orgId: string): void;
  create(name: string): Promise<Org>;
  reload(): Promise<void>;
}

const OrgContext = createContext<OrgContextValue | null>(null);

function remembered(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function remember(orgId: string): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, orgId);
  } catch {
    // Storage may be disabled; the choice then lasts for this page load only.
  }
}

/** The signed-in user's organisations and the one currently selected (kept per browser). */
export function OrgProvider({ children }: { children: ReactNode }) {
  const { state: session } = useSession();
  const [state, setState] = useState<OrgState>({ status: 'idle' });
  const signedIn = session.status === 'signed-in' ? session.current.user.id : undefined;

  const reload = useCallback(async () => {
    setState((previous) => (previous.status === 'ready' ? previous : { status: 'loading' }));
    try {
      const { orgs } = await orgsApi.list();
      const wanted = remembered();
      setState({ status: 'ready', orgs, current: orgs.find((org) => org.id === wanted) ?? orgs[0] });
    } catch (error) {
      setState({ status: 'error', error });
    }
  }, []);

  useEffect(() => {
    if (signedIn) void reload();
    else setState({ status: 'idle' });
  }, [signedIn, reload]);

  const select = useCallback((orgId: string) => {
    remember(orgId);
    setState((previous) =>
      previous.status === 'ready'
        ? { ...previous, current: previous.orgs.find((org) => org.id === orgId) ?? previous.current }
        : previous,
    );
  }, []);

  const create = useCallback(
    async (name: string) => {
      const org = await orgsApi.create(name);
      remember(org.id);
      await reload();
      return org;
    },
    [reload],
  );

  const value = useMemo(
    () => ({ state, current: state.status === 'ready' ? state.current : undefined, select, create, reload }),
    [state, select, create, reload],
  );
  return <OrgContext.Provider value={value}>{children}</OrgContext.Provider>;
}

export function useOrg(): OrgContextValue {
  const value = useContext(OrgContext);
  if (!value) throw new Error('useOrg outside OrgProvider');
  return value;
}
