import { useState, type FormEvent } from 'react';
import { adminApi } from '../../api/admin.ts';
import type { Incident, IncidentImpact, IncidentStatus } from '../../api/admin-types.ts';
import { SelectField } from '../../components/SelectField.tsx';
import { Empty, Loading } from '../../components/States.tsx';
import { useAction } from '../../components/useAction.ts';
import { useAsync } from '../../components/useAsync.ts';
import { ActionError, LoadError, formatTime } from './StepUp.tsx';

const statuses: IncidentStatus[] = ['investigating', 'identified', 'monitoring', 'resolved'];
const impacts: IncidentImpact[] = ['minor', 'major', 'critical'];

function NewIncidentForm({ onCreated }: { onCreated: () => void }) {
  const [title, setTitle] = useState('');
  const [impact, setImpact] = useState<IncidentImpact>('minor');
  const [components, setComponents] = useState('');
  const [message, setMessage] = useState('');
  const action = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const list = components
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    void action.run(async () => {
      await adminApi.createIncident({ title, impact, components: list, message });
      setTitle('');
      setComponents('');
      setMessage('');
      onCreated();
    });
  };
  return (
    <form className="card form" onSubmit={submit} aria-labelledby="new-incident-title">
      <h3 id="new-incident-title">Post an incident</h3>
      <label htmlFor="incident-title">Title</label>
      <input
        id="incident-title"
        type="text"
        required
        minLength={3}
        maxLength={200}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
      />
      <SelectField
        id="incident-impact"
        label="Impact"
        value={impact}
        options={impacts}
        onChange={setImpact}
      />
      <label htmlFor="incident-components">Components (comma-separated, e.g. api, scanner)</label>
      <input
        id="incident-components"
        type="text"
        value={components}
        onChange={(e) => setComponents(e.target.value)}
      />
      <label htmlFor="incident-message">First update</label>
      <textarea
        id="incident-message"
        rows={3}
        required
        minLength={3}
        maxLength={5000}
        value={message}
        onChange={(e) => setMessage(e.target.value)}
      />
      <div className="admin-actions">
        <button type="submit" className="button primary" disabled={action.busy}>
          {action.busy ? 'Posting…' : 'Post incident'}
        </button>
      </div>
      {action.error !== undefined && (
        <ActionError error={action.error} onVerified={() => action.setError(undefined)} />
      )}
    </form>
  );
}

function UpdateForm({ incident, onUpdated }: { incident: Incident; onUpdated: () => void }) {
  const [status, setStatus] = useState<IncidentStatus>(incident.status);
  const [message, setMessage] = useState('');
  const action = useAction();
  const id = `update-${incident.id}`;
  return (
    <form
      className="form admin-inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        void action.run(async () => {
          await adminApi.updateIncident(incident.id, { status, message });
          onUpdated();
        });
      }}
    >
      <div>
        <SelectField
          id={`${id}-status`}
          label="New status"
          value={status}
          options={statuses}
          onChange={setStatus}
        />
      </div>
      <div className="admin-grow">
        <label htmlFor={`${id}-message`}>Update</label>
        <input
          id={`${id}-message`}
          type="text"
          required
          minLength={3}
          maxLength={5000}
          value={message}
          onChange={(e) => setMessage(e.target.value)}
        />
      </div>
      <button type="submit" className="button secondary" disabled={action.busy}>
        {action.busy ? 'Posting…' : 'Post update'}
      </button>
      {action.error !== undefined && (
        <ActionError error={action.error} onVerified={() => action.setError(undefined)} />
      )}
    </form>
  );
}

/** Incidents on the public status page: post one, then updates until it is resolved. */
export function IncidentsSection() {
  const state = useAsync(() => adminApi.incidents());
  return (
    <section aria-labelledby="incidents-title">
      <h2 id="incidents-title">Incidents</h2>
      <p className="hint">
        Incidents and their updates appear on the public status page and in the audit log.
      </p>
      <NewIncidentForm onCreated={state.reload} />
      {state.status === 'loading' && <Loading label="Loading incidents…" />}
      {state.status === 'error' && <LoadError error={state.error} onRetry={state.reload} />}
      {state.status === 'done' &&
        (state.data.incidents.length === 0 ? (
          <Empty>No incidents.</Empty>
        ) : (
          <ul className="admin-list">
            {state.data.incidents.map((incident) => (
              <li key={incident.id} className="card" data-testid="incident">
                <h3>
                  {incident.title}{' '}
                  <span className={`badge impact-${incident.impact}`}>{incident.impact}</span>{' '}
                  <span className="badge">{incident.status}</span>
                </h3>
                <p className="hint">
                  Started {formatTime(incident.startedAt)}
                  {incident.components.length > 0 && ` · ${incident.components.join(', ')}`}
                  {incident.resolvedAt && ` · resolved ${formatTime(incident.resolvedAt)}`}
                </p>
                <ol className="admin-thread">
                  {incident.updates.map((u, i) => (
                    <li key={i}>
                      <strong>{u.status}</strong> · {formatTime(u.at)}: {u.message}
                    </li>
                  ))}
                </ol>
                {incident.status !== 'resolved' && (
                  <UpdateForm incident={incident} onUpdated={state.reload} />
                )}
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
