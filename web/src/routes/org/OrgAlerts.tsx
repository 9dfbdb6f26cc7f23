import { useState, type FormEvent } from 'react';
import { orgSettingsApi } from '../../api/org-settings.ts';
import type { AlertType, Preferences } from '../../api/org-settings-types.ts';
import type { Org } from '../../api/types.ts';
import { ErrorState, Loading } from '../../components/States.tsx';
import { useAsync } from '../../components/useAsync.ts';
import { can, OrgSettingsLayout, Outcome, useSettingsAction } from './OrgSettingsLayout.tsx';
import { ALERT_NAMES, ALERT_TYPES, Webhooks } from './Webhooks.tsx';

function PreferencesForm({ org, initial }: { org: Org; initial: Preferences }) {
  const [events, setEvents] = useState<AlertType[]>(initial.emailEvents);
  const [digest, setDigest] = useState(initial.digest);
  const { busy, error, notice, run } = useSettingsAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run('save', async () => {
      const saved = await orgSettingsApi.setPreferences(org.id, { emailEvents: events, digest });
      setEvents(saved.emailEvents);
      setDigest(saved.digest);
      return 'Notification preferences saved.';
    });
  };
  return (
    <form className="form" onSubmit={submit}>
      <fieldset className="org-events">
        <legend>Email me when</legend>
        {ALERT_TYPES.map((type) => (
          <div className="checkbox" key={type}>
            <input
              id={`email-event-${type}`}
              type="checkbox"
              checked={events.includes(type)}
              onChange={(event) =>
                setEvents(event.target.checked ? [...events, type] : events.filter((e) => e !== type))
              }
              disabled={busy}
            />
            <label htmlFor={`email-event-${type}`}>{ALERT_NAMES[type]}</label>
          </div>
        ))}
      </fieldset>
      <div className="checkbox">
        <input
          id="email-digest"
          type="checkbox"
          checked={digest}
          onChange={(event) => setDigest(event.target.checked)}
          disabled={busy}
        />
        <label htmlFor="email-digest">
          Daily digest: one email a day summing up these alerts, instead of one email per alert
        </label>
      </div>
      {events.length === 0 && <p className="hint">No alert emails from {org.name}.</p>}
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? 'Saving…' : 'Save preferences'}
      </button>
      <Outcome error={error} notice={notice} />
    </form>
  );
}

function Alerts({ org }: { org: Org }) {
  const preferences = useAsync(() => orgSettingsApi.preferences(org.id), [org.id]);
  return (
    <div className="settings">
      <section className="card" aria-labelledby="preferences-heading">
        <h2 id="preferences-heading">My notification preferences</h2>
        <p className="hint">Which alerts of {org.name} reach your inbox. Each member chooses their own.</p>
        {preferences.status === 'loading' && <Loading label="Loading preferences…" />}
        {preferences.status === 'error' && (
          <ErrorState error={preferences.error} onRetry={preferences.reload} />
        )}
        {preferences.status === 'done' && <PreferencesForm org={org} initial={preferences.data} />}
      </section>
      {can(org, 'org:write') ? (
        <Webhooks org={org} />
      ) : (
        <section className="card" aria-labelledby="webhooks-heading">
          <h2 id="webhooks-heading">Webhooks</h2>
          <p className="hint">Owners and admins add and remove the organisation’s webhooks.</p>
        </section>
      )}
    </div>
  );
}

/** /org/alerts: my alert emails and daily digest; the organisation's webhooks (docs/web.md). */
export function OrgAlertsPage() {
  return <OrgSettingsLayout>{(org) => <Alerts key={`${org.id}-${org.role}`} org={org} />}</OrgSettingsLayout>;
}
