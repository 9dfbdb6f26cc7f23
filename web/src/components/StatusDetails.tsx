import type { StatusDocument } from '../api/types.ts';

type Component = StatusDocument['components'][number];
type Incident = StatusDocument['incidents'][number];

const stateLabel: Record<Component['status'], string> = {
  ok: 'Operational',
  degraded: 'Degraded',
  down: 'Down',
  no_data: 'No recent data',
};
const dotClass: Record<Component['status'], string> = {
  ok: 'dot-ok',
  degraded: 'dot-warn',
  down: 'dot-failed',
  no_data: 'dot-unknown',
};

function percent(ratio: number | null): string {
  return ratio === null ? 'no data' : `${(ratio * 100).toFixed(ratio === 1 ? 0 : 2)} %`;
}

/** 90 bars, oldest first; the colour is the day's worst state, the title its ok ratio. */
function UptimeBars({ component }: { component: Component }) {
  return (
    <div className="uptime">
      <div className="uptime-bars" aria-hidden="true">
        {component.uptime.days.map((d) => (
          <span
            key={d.day}
            className={`uptime-bar uptime-${d.worst ?? 'none'}`}
            title={`${d.day}: ${percent(d.ratio)}`}
          />
        ))}
      </div>
      <p className="uptime-legend">
        <span>{component.uptime.days.length} days ago</span>
        <span>{percent(component.uptime.ratio)} uptime</span>
        <span>Today</span>
      </p>
    </div>
  );
}

export function ComponentList({ components }: { components: Component[] }) {
  if (!components.length) return <p className="lead">The health monitor has not reported yet.</p>;
  return (
    <ul className="components">
      {components.map((c) => (
        <li key={c.id} className="card component-history">
          <div className="component">
            <span>{c.name}</span>
            <span className="component-state">
              <span className={`dot ${dotClass[c.status]}`} aria-hidden="true" /> {stateLabel[c.status]}
            </span>
          </div>
          <UptimeBars component={c} />
        </li>
      ))}
    </ul>
  );
}

export function IncidentList({ incidents }: { incidents: Incident[] }) {
  if (!incidents.length) return <p className="lead">No incidents in the last 14 days.</p>;
  return (
    <ul className="incidents">
      {incidents.map((i) => (
        <li key={i.id} className="card incident">
          <h3>
            {i.title} <span className={`badge impact-${i.impact}`}>{i.impact}</span>
          </h3>
          <p className="lead">
            {i.status === 'resolved' ? 'Resolved' : 'Ongoing'} · started{' '}
            {new Date(i.startedAt).toLocaleString()}
            {i.components.length ? ` · ${i.components.join(', ')}` : ''}
          </p>
          <ol className="incident-updates">
            {i.updates.map((u) => (
              <li key={`${u.at}-${u.status}`}>
                <strong>{u.status}</strong> <time dateTime={u.at}>{new Date(u.at).toLocaleString()}</time>
                <p>{u.message}</p>
              </li>
            ))}
          </ol>
        </li>
      ))}
    </ul>
  );
}
