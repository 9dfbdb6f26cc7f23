import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError } from './api/client.ts';
import type { CurrentSession } from './api/types.ts';

type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; current: CurrentSession }
  /** Signed in by email; the account's second factor must be verified before anything else. */
  | { status: 'second-factor'; current: CurrentSession }
  | { status: 'error'; error: ApiError };

interface SessionContextValue {
  state: SessionState;
  refresh(): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/** Who is signed in, from GET /api/v1/auth/session?probe=1 (204 means nobody; a 401 too, from an older server). */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const refresh = useCallback(async () => {
    try {
      const current = await api.session();
      if (!current) setState({ status: 'signed-out' });
      else setState({ status: current.pendingSecondFactor ? 'second-factor' : 'signed-in', current });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setState({ status: 'signed-out' });
      else setState({ status: 'error', error: error as ApiError });
    }
  }, []);
  const signOut = useCallback(async () => {
    await api.signOut();
    setState({ status: 'signed-out' });
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const value = useMemo(() => ({ state, refresh, signOut }), [state, refresh, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
