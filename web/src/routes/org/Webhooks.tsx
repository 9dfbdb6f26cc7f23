import { useState, type FormEvent } from 'react';
import { orgSettingsApi } from '../../api/org-settings.ts';
import type { AlertType, Webhook } from '../../api/org-settings-types.ts';
import type { Org } from '../../api/types.ts';
import { Confirmable } from '../../components/Confirm.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { CopyButton } from '../../components/CopyButton.tsx';
import { Outcome, useSettingsAction, useRefreshable } from './OrgSettingsLayout.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';

/** Every alert type, in words (the keys are checked against the server's schema). */
export const ALERT_NAMES: Record<AlertType, string> = {
  'grade.dropped': 'A site’s grade drops',
  'finding.new_high': 'A new critical or high finding',
  'finding.overdue': 'A finding becomes overdue',
  'privacy.changed':
    'New tracking: a new third party, tracking before consent or after “reject all”, a new cookie before consent',
};
export const ALERT_TYPES = Object.keys(ALERT_NAMES) as AlertType[];
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

function NewSecret({ hook, onDone }: { hook: Webhook & { secret: string }; onDone(): void }) {
  return (
    <section
      className="card org-secret"
      aria-labelledby="webhook-secret-heading"
      data-testid="webhook-secret"
    >
      <h3 id="webhook-secret-heading">Signing secret for {hook.url}</h3>
      <p role="status">
        Copy it now: <strong>it is shown only once</strong>. Verify the <code>x-vioscan-signature</code>{' '}
        header of each delivery with it (HMAC-SHA256 over the timestamp and the body; see the API
        documentation).
      </p>
      <label htmlFor="webhook-secret-value">Secret</label>
      <input id="webhook-secret-value" className="org-secret-value" readOnly value={hook.secret} />
      <div className="actions">
        <CopyButton text={hook.secret} label="Copy secret" />
        <button type="button" className="button primary" onClick={onDone}>
          Done
        </button>
      </div>
    </section>
  );
}

function Deliveries({ org, hook }: { org: Org; hook: Webhook }) {
  const state = useRefreshable(() => orgSettingsApi.deliveries(org.id, hook.id));
  if (state.status === 'loading') return <Loading label="Loading deliveries…" />;
  if (state.status === 'error')
    return <ErrorState error={state.error} onRetry={() => void state.refresh()} />;
  const { deliveries } = state.data;
  return (
    <div className="org-deliveries">
      <div className="actions">
        <button type="button" className="button ghost" onClick={() => void state.refresh()}>
          Refresh
        </button>
      </div>
      {deliveries.length === 0 ? (
        <Empty>No deliveries yet: one is sent when an alert this webhook subscribes to is raised.</Empty>
      ) : (
        <TableScroll label={`Latest deliveries to ${hook.url}`}>
          <table>
            <caption className="visually-hidden">Latest deliveries to {hook.url}</caption>
            <thead>
              <tr>
                <th scope="col">Raised</th>
                <th scope="col">Alert</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Answer</th>
                <th scope="col">Delivered</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id} data-testid="delivery-row">
                  <td>{when(d.createdAt)}</td>
                  <td>{ALERT_NAMES[d.eventType]}</td>
                  <td>
                    <span className={`badge org-delivery-${d.status}`}>{d.status}</span>
                  </td>
                  <td>{d.attempts}</td>
                  <td>{d.error ?? (d.responseStatus === null ? '—' : `HTTP ${d.responseStatus}`)}</td>
                  <td>{when(d.deliveredAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </div>
  );
}

function HookItem({
  org,
  hook,
  action,
  onDeleted,
}: {
  org: Org;
  hook: Webhook;
  action: ReturnType<typeof useSettingsAction>;
  onDeleted(): Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const { busy, pending, run } = action;
  return (
    <li className="org-hook" data-testid="webhook">
      <div className="org-hook-head">
        <div>
          <code className="org-hook-url">{hook.url}</code>
          <p className="hint">
            {hook.events.map((e) => ALERT_NAMES[e]).join(' · ')} · added{' '}
            {new Date(hook.createdAt).toLocaleDateString()}
          </p>
        </div>
        <div className="actions">
          <button
            type="button"
            className="button secondary"
            disabled={busy}
            aria-label={`Send test to ${hook.url}`}
            onClick={() =>
              void run(`test-${hook.id}`, async () => {
                const result = await orgSettingsApi.testWebhook(org.id, hook.id);
                return result.message;
              })
            }
          >
            {pending === `test-${hook.id}` ? 'Sending…' : 'Send test'}
          </button>
          <button
            type="button"
            className="button secondary"
            aria-expanded={open}
            onClick={() => setOpen(!open)}
          >
            {open ? 'Hide deliveries' : 'Deliveries'}
          </button>
          <Confirmable
            asking={confirming}
            ask="Delete"
            askLabel={`Delete the webhook ${hook.url}`}
            onAsk={() => setConfirming(true)}
            label={`Confirm deleting the webhook ${hook.url}`}
            confirm="Yes, delete"
            working="Deleting…"
            cancel="Cancel"
            disabled={busy}
            busy={pending === hook.id}
            onCancel={() => setConfirming(false)}
            onConfirm={() =>
              void run(hook.id, async () => {
                await orgSettingsApi.deleteWebhook(org.id, hook.id);
                await onDeleted();
                return `The webhook to ${hook.url} was deleted.`;
              })
            }
          />
        </div>
      </div>
      {open && <Deliveries org={org} hook={hook} />}
    </li>
  );
}

function AddWebhook({ org, onAdded }: { org: Org; onAdded(hook: Webhook): Promise<void> }) {
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<AlertType[]>(ALERT_TYPES);
  const { busy, error, notice, run } = useSettingsAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run('add', async () => {
      await onAdded(await orgSettingsApi.addWebhook(org.id, { url: url.trim(), events }));
      setUrl('');
      return 'Webhook added.';
    });
  };
  return (
    <form className="form" onSubmit={submit} noValidate>
      <h3>Add a webhook</h3>
      <label htmlFor="webhook-url">Receiver address (https)</label>
      <input
        id="webhook-url"
        type="url"
        inputMode="url"
        required
        maxLength={2048}
        placeholder="https://example.com/hooks/vioscan"
        value={url}
        onChange={(event) => setUrl(event.target.value)}
        disabled={busy}
      />
      <fieldset className="org-events">
        <legend>Send these alerts</legend>
        {ALERT_TYPES.map((type) => (
          <div className="checkbox" key={type}>
            <input
              id={`webhook-event-${type}`}
              type="checkbox"
              checked={events.includes(type)}
              onChange={(event) =>
                setEvents(event.target.checked ? [...events, type] : events.filter((e) => e !== type))
              }
              disabled={busy}
            />
            <label htmlFor={`webhook-event-${type}`}>{ALERT_NAMES[type]}</label>
          </div>
        ))}
      </fieldset>
      {events.length === 0 && (
        <p className="hint" id="webhook-events-hint">
          Choose at least one alert.
        </p>
      )}
      <button
        type="submit"
        className="button primary"
        disabled={busy || events.length === 0}
        aria-describedby={events.length === 0 ? 'webhook-events-hint' : undefined}
      >
        {busy ? 'Adding…' : 'Add webhook'}
      </button>
      <Outcome error={error} notice={notice} />
    </form>
  );
}

/** The organisation's webhooks: add (secret shown once), delete with confirmation, delivery log. */
export function Webhooks({ org }: { org: Org }) {
  const state = useRefreshable(() => orgSettingsApi.webhooks(org.id));
  const [created, setCreated] = useState<Webhook & { secret: string }>();
  const action = useSettingsAction();
  let list;
  if (state.status === 'loading') list = <Loading label="Loading webhooks…" />;
  else if (state.status === 'error')
    list = <ErrorState error={state.error} onRetry={() => void state.refresh()} />;
  else if (state.data.webhooks.length === 0) list = <Empty>No webhooks yet.</Empty>;
  else
    list = (
      <ul className="org-hooks">
        {state.data.webhooks.map((hook) => (
          <HookItem key={hook.id} org={org} hook={hook} action={action} onDeleted={state.refresh} />
        ))}
      </ul>
    );
  return (
    <section className="card" aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading">Webhooks</h2>
      <p className="hint">
        VIOscan POSTs each alert as JSON, signed with HMAC-SHA256, and retries with backoff when the receiver
        fails.
      </p>
      {created && <NewSecret hook={created} onDone={() => setCreated(undefined)} />}
      {list}
      <Outcome error={action.error} notice={action.notice} />
      <AddWebhook
        org={org}
        onAdded={async (hook) => {
          if (hook.secret) setCreated({ ...hook, secret: hook.secret });
          await state.refresh();
        }}
      />
    </section>
  );
}
