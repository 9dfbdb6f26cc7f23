import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/http.ts';
import type { Site } from '../../api/service-types.ts';
import { sitesApi } from '../../api/sites.ts';
import type { Org } from '../../api/types.ts';
import { errorMessage } from '../../components/errors.ts';
import { useAction } from '../../components/useAction.ts';

type Frequency = 'none' | 'daily' | 'weekly' | 'cron';
const frequencyOf = (schedule: string | null): Frequency =>
  schedule === null ? 'none' : schedule === 'daily' || schedule === 'weekly' ? schedule : 'cron';

export function Schedule({ org, site, onChange }: { org: Org; site: Site; onChange: (site: Site) => void }) {
  const [frequency, setFrequency] = useState<Frequency>(frequencyOf(site.schedule));
  const [cron, setCron] = useState(frequencyOf(site.schedule) === 'cron' ? (site.schedule ?? '') : '');
  const { busy, error, run } = useAction();
  const [saved, setSaved] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    return run(async () => {
      const schedule = frequency === 'none' ? null : frequency === 'cron' ? cron.trim() : frequency;
      onChange(await sitesApi.setSchedule(org.id, site.id, schedule));
      setSaved(true);
    });
  };
  const choices: [Frequency, string][] = [
    ['none', 'Off'],
    ['daily', 'Daily'],
    ['weekly', 'Weekly'],
    ['cron', 'Cron expression'],
  ];
  return (
    <form className="card form" onSubmit={(event) => void submit(event)} aria-labelledby="schedule-heading">
      <h2 id="schedule-heading">Schedule</h2>
      <p className="hint">
        Currently: {site.schedule ? <code>{site.schedule}</code> : 'no scheduled scans'}.
        {!site.verification.verified && ' Verify ownership first to turn monitoring on.'}
      </p>
      <fieldset className="choices">
        <legend>Scan this site</legend>
        {choices.map(([value, label]) => (
          <label key={value} className="choice">
            <input
              type="radio"
              name="frequency"
              value={value}
              checked={frequency === value}
              onChange={() => setFrequency(value)}
              disabled={busy}
            />{' '}
            {label}
          </label>
        ))}
      </fieldset>
      {frequency === 'cron' && (
        <>
          <label htmlFor="schedule-cron">Cron expression (5 fields, UTC, at most hourly)</label>
          <input
            id="schedule-cron"
            type="text"
            required
            maxLength={100}
            placeholder="0 6 * * 1-5"
            value={cron}
            onChange={(event) => setCron(event.target.value)}
            disabled={busy}
          />
        </>
      )}
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? 'Saving…' : 'Save schedule'}
      </button>
      <div aria-live="polite">
        {saved && <p className="state notice-ok">Schedule saved.</p>}
        {error !== undefined && (
          <p className="state state-error" role="alert">
            {error instanceof ApiError && error.code === 'site_not_verified'
              ? 'Verify ownership of this site before scheduling scans.'
              : errorMessage(error)}
          </p>
        )}
      </div>
    </form>
  );
}
