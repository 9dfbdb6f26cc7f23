import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { ErrorState, PageTitle } from './States.tsx';
import { useAction } from './useAction.ts';

/** How the page showing a report starts the same scan again (public scan or a site's scan). */
const RescanContext = createContext<(() => Promise<void>) | undefined>(undefined);

export function RescanProvider({ rescan, children }: { rescan: () => Promise<void>; children: ReactNode }) {
  return <RescanContext.Provider value={rescan}>{children}</RescanContext.Provider>;
}

/** "Rescan" (or "Retry" after a failed scan); nothing where the page cannot start a scan. */
export function RescanButton({ label = 'Rescan', primary = false }: { label?: string; primary?: boolean }) {
  const rescan = useContext(RescanContext);
  const { busy, error, run } = useAction();
  if (!rescan) return null;
  return (
    <>
      <button
        type="button"
        className={`button ${primary ? 'primary' : 'secondary'} no-print`}
        disabled={busy}
        onClick={() => void run(rescan)}
      >
        {busy ? 'Starting…' : label}
      </button>
      {error !== undefined && <ErrorState error={error} />}
    </>
  );
}

function reportHost(target: string): string {
  try {
    return new URL(target).host;
  } catch {
    return target;
  }
}

/** A report's page title is its host, the part a reader recognises, on the page and in the tab. */
export function ReportTitle({ target }: { target: string }) {
  const host = reportHost(target);
  useEffect(() => {
    document.title = `${host} · VIOscan report`;
  }, [host]);
  return <PageTitle lead="Security report">{host}</PageTitle>;
}
