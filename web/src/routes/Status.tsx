import { useEffect } from 'react';
import { api } from '../api/client.ts';
import type { StatusDocument } from '../api/types.ts';
import { ErrorState, Loading, PageTitle } from '../components/States.tsx';
import { ComponentList, IncidentList } from '../components/StatusDetails.tsx';
import { useAsync } from '../components/useAsync.ts';

const REFRESH_MS = 30_000;
const names: Record<string, string> = { database: 'Database', queue: 'Job queue' };
const headlines = {
  ok: 'All systems operational',
  degraded: 'Service degraded',
  down: 'Service down',
  no_data: 'No recent monitoring data: the current state is unknown',
} as const;

/**
 * The headline follows the monitor's components and open incidents (status.json's overall state)
 * as soon as there are any, so it never says "operational" beside a component that is down; before
 * the first probe only the live readiness answer is known.
 */
function headlineState(ready: boolean, doc: StatusDocument | undefined): keyof typeof headlines {
  if (!ready) return 'down';
  if (!doc || doc.components.length === 0) return 'ok';
  return doc.status;
}

export function StatusPage() {
  const state = useAsync(() => api.readiness());
  const history = useAsync(() => api.statusDocument());
  const { reload } = state;
  const reloadHistory = history.reload;
  useEffect(() => {
    const timer = window.setInterval(() => {
      reload();
      reloadHistory();
    }, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reload, reloadHistory]);

  return (
    <>
      <PageTitle lead="Current readiness of this instance, the health monitor's components with 90 days of uptime, and incidents; refreshed every 30 seconds.">
        Status
      </PageTitle>
      {state.status === 'loading' && <Loading label="Checking components…" />}
      {state.status === 'error' && <ErrorState error={state.error} onRetry={reload} />}
      {state.status === 'done' && (
        <>
          <Headline
            state={headlineState(
              state.data.status === 'ready',
              history.status === 'done' ? history.data : undefined,
            )}
          />
          <ul className="components">
            {Object.entries(state.data.components).map(([name, status]) => (
              <li key={name} className="card component">
                <span>{names[name] ?? name}</span>
                <span className="component-state">
                  <span className={`dot dot-${status === 'ok' ? 'ok' : 'failed'}`} aria-hidden="true" />{' '}
                  {status === 'ok' ? 'Operational' : 'Unavailable'}
                </span>
              </li>
            ))}
          </ul>
          <button type="button" className="button secondary" onClick={reload}>
            Check again
          </button>
        </>
      )}
      <h2>Incidents</h2>
      {history.status === 'loading' && <Loading label="Loading history…" />}
      {history.status === 'error' && <ErrorState error={history.error} onRetry={history.reload} />}
      {history.status === 'done' && (
        <>
          <IncidentList incidents={history.data.incidents} />
          <h2>Components over 90 days</h2>
          <ComponentList components={history.data.components} />
        </>
      )}
    </>
  );
}

const headlineDot = {
  ok: 'dot-ok',
  degraded: 'dot-warn',
  down: 'dot-failed',
  no_data: 'dot-unknown',
} as const;

function Headline({ state }: { state: keyof typeof headlines }) {
  return (
    <div className={`card overall overall-${state === 'ok' ? 'ready' : state}`} role="status">
      <span className={`dot ${headlineDot[state]}`} aria-hidden="true" />
      {headlines[state]}
    </div>
  );
}
