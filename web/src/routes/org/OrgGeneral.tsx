import { useState, type FormEvent } from 'react';
import { REMEDIATION_DAYS } from '../../../../src/scanner/grade/score-table.ts';
import { orgSettingsApi } from '../../api/org-settings.ts';
import type { RemediationTargets, Usage } from '../../api/org-settings-types.ts';
import type { Org } from '../../api/types.ts';
import { ErrorState, Loading } from '../../components/States.tsx';
import { useAsync } from '../../components/useAsync.ts';
import { useOrg } from '../../org.tsx';
import { BillingCard } from './OrgBilling.tsx';
import { ActionError, can, OrgSettingsLayout, Outcome, useSettingsAction } from './OrgSettingsLayout.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';

const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const satisfies (keyof RemediationTargets)[];
const SEVERITY_NAMES = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' } as const;
/** The product's defaults, from the one score table the server also reads (STYLE §24). */
const DEFAULTS = Object.fromEntries(SEVERITIES.map((s) => [s, REMEDIATION_DAYS[s]!])) as RemediationTargets;
const days = (n: number) => (n === 1 ? '1 day' : `${n} days`);

function Rename({ org }: { org: Org }) {
  const { reload } = useOrg();
  const [name, setName] = useState(org.name);
  const { busy, error, notice, run, setError } = useSettingsAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === org.name) {
      setError(new Error('Organisation name: this is the current name; type the new one first.'));
      return;
    }
    void run('rename', async () => {
      const renamed = await orgSettingsApi.rename(org.id, name.trim());
      // The switcher and every screen read the organisation list: refresh it.
      await reload();
      return `Renamed to ${renamed.name}.`;
    });
  };
  return (
    <form className="form org-inline-form" onSubmit={submit}>
      <label htmlFor="org-rename">Organisation name</label>
      <div className="org-row">
        <input
          id="org-rename"
          required
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.target.value)}
          disabled={busy}
        />
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Saving…' : 'Rename'}
        </button>
      </div>
      <Outcome error={error} notice={notice} />
    </form>
  );
}

function Quota({ label, used, limit }: { label: string; used: number; limit: number }) {
  const id = `quota-${label.replace(/\W+/g, '-').toLowerCase()}`;
  const full = used >= limit;
  return (
    <div className="org-quota" data-testid="quota">
      <div className="org-quota-head">
        <span id={id}>{label}</span>
        <span className={full ? 'org-quota-full' : undefined}>
          {used} of {limit}
          {full ? ' (limit reached)' : ''}
        </span>
      </div>
      <meter aria-labelledby={id} min={0} max={limit} low={limit * 0.8} high={limit * 0.95} value={used} />
    </div>
  );
}

function Plan({ usage }: { usage: Usage }) {
  return (
    <>
      <p>
        Plan: <strong className="org-plan">{usage.plan}</strong>
      </p>
      <Quota label="Sites" used={usage.used.sites} limit={usage.limits.sites} />
      <Quota label="Scans this month" used={usage.used.scansPerMonth} limit={usage.limits.scansPerMonth} />
      <Quota
        label="Browser scans this month"
        used={usage.used.browserScansPerMonth}
        limit={usage.limits.browserScansPerMonth}
      />
      <p className="hint">
        Browser scans add the privacy and accessibility checks;{' '}
        {usage.limits.scheduledBrowserScans
          ? 'scheduled scans include them.'
          : 'on this plan scheduled scans run without the browser.'}
      </p>
      <p className="hint">A scan or site beyond the plan’s limit is refused with an explanation.</p>
    </>
  );
}

const asDraft = (t: RemediationTargets) =>
  Object.fromEntries(SEVERITIES.map((s) => [s, String(t[s])])) as Record<keyof RemediationTargets, string>;

function Targets({ org, initial }: { org: Org; initial: RemediationTargets }) {
  const editable = can(org, 'org:write');
  const [current, setCurrent] = useState(initial);
  const [draft, setDraft] = useState(() => asDraft(initial));
  const { busy, error, notice, run } = useSettingsAction();
  const save = (targets: RemediationTargets, message: string) =>
    void run('targets', async () => {
      const saved = await orgSettingsApi.setTargets(org.id, targets);
      setCurrent(saved);
      setDraft(asDraft(saved));
      return message;
    });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const values = Object.fromEntries(SEVERITIES.map((s) => [s, Number(draft[s])])) as RemediationTargets;
    save(values, 'Remediation targets saved; due dates of open findings follow them.');
  };
  const rows = SEVERITIES.map((severity) => (
    <tr key={severity} data-testid={`target-${severity}`}>
      <th scope="row">
        <span className={`severity-${severity}`}>{SEVERITY_NAMES[severity]}</span>
      </th>
      <td>
        {editable ? (
          <span className="org-days">
            <input
              id={`target-${severity}`}
              type="number"
              inputMode="numeric"
              min={1}
              max={365}
              step={1}
              required
              aria-label={`${SEVERITY_NAMES[severity]}: days to fix`}
              value={draft[severity]}
              onChange={(event) => setDraft({ ...draft, [severity]: event.target.value })}
              disabled={busy}
            />
            days
          </span>
        ) : (
          days(current[severity])
        )}
      </td>
      <td className="hint">{days(DEFAULTS[severity])}</td>
    </tr>
  ));
  const table = (
    <TableScroll label="Days to fix a finding, by severity">
      <table className="org-targets">
        <caption className="visually-hidden">Days to fix a finding, by severity</caption>
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Days to fix</th>
            <th scope="col">Default</th>
          </tr>
        </thead>
        <tbody>{rows}</tbody>
      </table>
    </TableScroll>
  );
  if (!editable)
    return (
      <>
        {table}
        <p className="hint">Owners and admins change the targets.</p>
      </>
    );
  return (
    <form className="form" onSubmit={submit}>
      {table}
      <p className="hint">Between 1 and 365 days. Informational findings have no deadline.</p>
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save targets'}
        </button>
        <button
          type="button"
          className="button secondary"
          disabled={busy}
          onClick={() => {
            save(DEFAULTS, 'Remediation targets reset to the defaults.');
          }}
        >
          Reset to defaults
        </button>
      </div>
      <Outcome error={error} notice={notice} />
    </form>
  );
}

function CreateAnother() {
  const { create } = useOrg();
  const [name, setName] = useState('');
  const { busy, error, run } = useSettingsAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run('create', async () => {
      // The new organisation becomes the current one, so this screen shows it next.
      await create(name.trim());
      setName('');
    });
  };
  return (
    <section className="card" aria-labelledby="org-create-heading">
      <h2 id="org-create-heading">Create another organisation</h2>
      <p className="hint">
        You become its owner; it starts on the free plan, with its own sites and members.
      </p>
      <form className="form org-inline-form" onSubmit={submit}>
        <label htmlFor="org-create-name">New organisation name</label>
        <div className="org-row">
          <input
            id="org-create-name"
            required
            maxLength={100}
            value={name}
            onChange={(event) => setName(event.target.value)}
            disabled={busy}
          />
          <button type="submit" className="button secondary" disabled={busy}>
            {busy ? 'Creating…' : 'Create organisation'}
          </button>
        </div>
        {error !== undefined && <ActionError error={error} />}
      </form>
    </section>
  );
}

function General({ org }: { org: Org }) {
  const usage = useAsync(() => orgSettingsApi.usage(org.id), [org.id]);
  const targets = useAsync(() => orgSettingsApi.targets(org.id), [org.id]);
  return (
    <div className="settings">
      <section className="card" aria-labelledby="org-name-heading">
        <h2 id="org-name-heading">Name</h2>
        {can(org, 'org:write') ? (
          <Rename org={org} />
        ) : (
          <p>
            <strong>{org.name}</strong> <span className="hint">(owners and admins rename it)</span>
          </p>
        )}
      </section>
      <section className="card" aria-labelledby="org-plan-heading">
        <h2 id="org-plan-heading">Plan and usage</h2>
        {usage.status === 'loading' && <Loading label="Loading usage…" />}
        {usage.status === 'error' && <ErrorState error={usage.error} onRetry={usage.reload} />}
        {usage.status === 'done' && <Plan usage={usage.data} />}
      </section>
      {can(org, 'billing:read') && <BillingCard org={org} />}
      <section className="card" aria-labelledby="org-targets-heading">
        <h2 id="org-targets-heading">Remediation targets</h2>
        <p className="hint">
          A finding is due this many days after it was first seen; the findings board flags it overdue after
          that.
        </p>
        {targets.status === 'loading' && <Loading label="Loading targets…" />}
        {targets.status === 'error' && <ErrorState error={targets.error} onRetry={targets.reload} />}
        {targets.status === 'done' && <Targets org={org} initial={targets.data} />}
      </section>
      <CreateAnother />
    </div>
  );
}

/** /org: the current organisation's name, plan and usage, remediation targets (docs/web.md). */
export function OrgGeneralPage() {
  return <OrgSettingsLayout>{(org) => <General key={org.id} org={org} />}</OrgSettingsLayout>;
}
