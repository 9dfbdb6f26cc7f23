import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type MouseEvent,
  type ReactNode,
} from 'react';
import { clientRoutes, type ClientRoute } from '../../src/modules/web/paths.ts';

/**
 * A small history-API router over the client routes the server also knows (src/modules/web/paths.ts),
 * so a path the SPA renders is always one the server answers with index.html.
 */
export interface Match {
  name: ClientRoute | 'notFound';
  params: Record<string, string>;
  path: string;
}

function compile(pattern: string): RegExp {
  const source = pattern.replace(/\/:([a-zA-Z]+)/g, '/(?<$1>[^/]+)');
  return new RegExp(`^${source}/?$`);
}

const compiled = (Object.entries(clientRoutes) as [ClientRoute, string][]).map(
  ([name, pattern]) => [name, compile(pattern)] as const,
);

export function match(path: string): Match {
  for (const [name, regex] of compiled) {
    const found = regex.exec(path);
    if (found) {
      const params = Object.fromEntries(
        Object.entries(found.groups ?? {}).map(([key, value]) => [key, decodeURIComponent(value)]),
      );
      return { name, params, path };
    }
  }
  return { name: 'notFound', params: {}, path };
}

/** Builds a path from a route name, encoding each parameter. */
export function href(name: ClientRoute, params: Record<string, string> = {}): string {
  return clientRoutes[name].replace(/:([a-zA-Z]+)/g, (_m, key: string) =>
    encodeURIComponent(params[key] ?? ''),
  );
}

interface RouterState {
  route: Match;
  navigate(to: string, options?: { replace?: boolean }): void;
}

const RouterContext = createContext<RouterState | null>(null);

export function RouterProvider({ children }: { children: ReactNode }) {
  const [path, setPath] = useState(() => window.location.pathname);
  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: string, options: { replace?: boolean } = {}) => {
    if (options.replace) window.history.replaceState(null, '', to);
    else window.history.pushState(null, '', to);
    setPath(new URL(to, window.location.origin).pathname);
    window.scrollTo(0, 0);
  }, []);
  const value = useMemo(() => ({ route: match(path), navigate }), [path, navigate]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterState {
  const state = useContext(RouterContext);
  if (!state) throw new Error('useRouter outside RouterProvider');
  return state;
}

/** `section`: the link is also current on the pages below it (/sites for /sites/:siteId). */
export function Link({
  to,
  children,
  className,
  section = false,
}: {
  to: string;
  children: ReactNode;
  className?: string;
  section?: boolean;
}) {
  const { navigate, route } = useRouter();
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a
      href={to}
      className={className}
      onClick={onClick}
      aria-current={route.path === to || (section && route.path.startsWith(`${to}/`)) ? 'page' : undefined}
    >
      {children}
    </a>
  );
}
