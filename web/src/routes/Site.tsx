import { Fragment, useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/http.ts';
import { isFinished, scansApi } from '../api/scans.ts';
import type { Scan, Site, VerificationMethod } from '../api/service-types.ts';
import { sitesApi } from '../api/sites.ts';
import type { Org } from '../api/types.ts';
import { HistoryChart } from '../components/GradeHistory.tsx';
import { OrgRequired } from '../components/OrgRequired.tsx';
import { LatestGrade } from '../components/Report.tsx';
import { ScanProgress, ScanStatusBadge } from '../components/ScanProgress.tsx';
import { Empty, ErrorState, Loading, PageTitle } from '../components/States.tsx';
import { useAction } from '../components/useAction.ts';
import { useAsync } from '../components/useAsync.ts';
import { href, Link } from '../router.tsx';
import '../styles/service.css';

const methodName: Record<VerificationMethod, string> = { dns: 'DNS TXT record', file: 'verification file' };

/** `verification_failed` carries `{method, reason}`: say what was wrong and what to check. */
export function verificationMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return 'The check could not be run. Try again.';
  if (error.code !== 'verification_failed') return error.message;
  const { method, reason = '' } = (error.details ?? {}) as { method?: VerificationMethod; reason?: string };
  const what = method ? methodName[method] : 'record or file';
  if (reason === 'no_record')
    return `No TXT record was found at that name. DNS changes can take a while to appear.`;
  if (reason === 'token_mismatch') return `The ${what} was found but does not hold this site's token.`;
  if (reason === 'lookup_failed') return 'The DNS lookup failed. Try again in a moment.';
  if (reason.startsWith('http_'))
    return `The verification file answered HTTP ${reason.slice(5)}; it must answer 200 with the token.`;
  if (reason === 'target_not_allowed') return 'The site resolves to an address that may not be fetched.';
  return `The ${what} could not be checked (${reason || 'unknown reason'}).`;
}

/** One way to prove ownership: what to publish (term, value, whether it may wrap) and its check button. */
function VerifyMethod({
  title,
  intro,
  facts,
  action,
  disabled,
  checking,
  onVerify,
}: {
  title: string;
  intro?: string;
  facts: [term: string, value: string, wraps: boolean][];
  action: string;
  disabled: boolean;
  checking: boolean;
  onVerify(): void;
}) {
  return (
    <div className="verify-method">
      <h3>{title}</h3>
      {intro && <p>{intro}</p>}
      <dl className="kv">
        {facts.map(([term, value, wraps]) => (
          <Fragment key={term}>
            <dt>{term}</dt>
            <dd>
              <code className={wraps ? 'break' : undefined}>{value}</code>
            </dd>
          </Fragment>
        ))}
      </dl>
      <button type="button" className="button secondary" disabled={disabled} onClick={onVerify}>
        {checking ? 'Checking…' : action}
      </button>
    </div>
  );
}

function Verification({ org, site, onChange }: { org: Org; site: Site; onChange: (site: Site) => void }) {
  const { busy, pending, error, run } = useAction();
  const [done, setDone] = useState(false);
  const { verification: v } = site;
  const verify = (method: VerificationMethod) => {
    setDone(false);
    return run(async () => {
      onChange(await sitesApi.verify(org.id, site.id, method));
      setDone(true);
    }, method);
  };
  return (
    <section className="card" aria-labelledby="verification-heading">
      <h2 id="verification-heading">Ownership</h2>
      {v.verified ? (
        <p>
          <span className="badge verified">Verified</span> by {v.method ? methodName[v.method] : 'an owner'}
          {v.verifiedAt && (
            <>
              {' '}
              on <time dateTime={v.verifiedAt}>{new Date(v.verifiedAt).toLocaleString()}</time>
            </>
          )}
          . Scheduled monitoring is available.
        </p>
      ) : (
        <p>
          <span className="badge unverified">Not verified</span> On-demand scans work on any site; prove that
          you own this one to monitor it on a schedule. Use either method.
        </p>
      )}
      <div className="verify-methods">
        <VerifyMethod
          title="DNS TXT record"
          facts={[
            ['Name', v.dns.name, true],
            ['Type', v.dns.type, false],
            ['Value', v.dns.value, true],
          ]}
          action="Verify now by DNS"
          disabled={busy}
          checking={pending === 'dns'}
          onVerify={() => void verify('dns')}
        />
        <VerifyMethod
          title="Verification file"
          intro="Serve this file with status 200 and the token as its only content:"
          facts={[
            ['Address', v.file.url, true],
            ['Content', v.file.body, true],
          ]}
          action="Verify now by file"
          disabled={busy}
          checking={pending === 'file'}
          onVerify={() => void verify('file')}
        />
      </div>
      <div aria-live="polite">
        {done && v.verified && <p className="state notice-ok">Ownership verified.</p>}
        {error !== undefined && (
          <p className="state state-error" role="alert">
            <strong>Not verified.</strong> {verificationMessage(error)}
          </p>
        )}
      </div>
    </section>
  );
}

type Frequency = 'none' | 'daily' | 'weekly' | 'cron';
const frequencyOf = (schedule: string | null): Frequency =>
  schedule === null ? 'none' : schedule === 'daily' || schedule === 'weekly' ? schedule : 'cron';

function Schedule({ org, site, onChange }: { org: Org; site: Site; onChange: (site: Site) => void }) {
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
              : error instanceof Error
                ? error.message
                : 'The schedule could not be saved.'}
          </p>
        )}
      </div>
    </form>
  );
}

function RecentScans({ scans }: { scans: Scan[] }) {
  if (scans.length === 0) return <Empty>No scans yet.</Empty>;
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Recent scans of this site, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Requested</th>
            <th scope="col">State</th>
            <th scope="col">Grade</th>
            <th scope="col">Changes</th>
            <th scope="col">Source</th>
            <th scope="col">Active checks</th>
          </tr>
        </thead>
        <tbody>
          {scans.map((scan) => (
            <tr key={scan.id} data-testid="scan-row">
              <th scope="row">
                <time dateTime={scan.createdAt}>{new Date(scan.createdAt).toLocaleString()}</time>
              </th>
              <td>
                <ScanStatusBadge status={scan.status} />
                {scan.status === 'running' && ` ${scan.progress}%`}
                {scan.error && <span className="hint"> {scan.error.message}</span>}
              </td>
              <td>
                {scan.status === 'succeeded' ? (
                  <Link to={href('orgScan', { scanId: scan.id })}>
                    {scan.grade ?? '–'} ({scan.score ?? '–'}) · report
                  </Link>
                ) : scan.status === 'failed' ? (
                  'not graded'
                ) : (
                  '–'
                )}
              </td>
              <td>
                {scan.diff
                  ? `${scan.diff.new} new, ${scan.diff.fixed} fixed, ${scan.diff.regressed} regressed`
                  : '–'}
              </td>
              <td>{scan.source}</td>
              <td>{scan.active ? 'yes' : 'no'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface SiteData {
  site: Site;
  scans: Scan[];
}

async function loadSite(orgId: string, siteId: string): Promise<SiteData> {
  const [site, scans] = await Promise.all([sitesApi.get(orgId, siteId), scansApi.list(orgId, siteId)]);
  return { site, scans: scans.scans };
}

function SiteView({ org, siteId, onTitle }: { org: Org; siteId: string; onTitle: (title: string) => void }) {
  const state = useAsync(() => loadSite(org.id, siteId), [org.id, siteId]);
  // Quiet refreshes (after a scan or a change) replace the data without a loading state.
  const [fresh, setFresh] = useState<SiteData>();
  const [active, setActive] = useState<Scan>();
  const { busy: starting, error: scanError, run } = useAction();
  const loaded = state.status === 'done' ? state.data : undefined;
  const data = fresh?.site.id === siteId ? fresh : loaded;
  useEffect(() => {
    if (data) onTitle(data.site.name);
  }, [data?.site.name]);

  if (state.status === 'loading') return <Loading label="Loading the site…" />;
  if (state.status === 'error' || !data)
    return (
      <>
        <ErrorState error={state.status === 'error' ? state.error : undefined} onRetry={state.reload} />
        <p>
          <Link to={href('sites')}>All sites</Link>
        </p>
      </>
    );
  const current = data.site;
  const running = active ?? data.scans.find((s) => !isFinished(s));
  const refresh = () => void loadSite(org.id, siteId).then(setFresh, () => undefined);
  const changeSite = (site: Site) => setFresh({ ...data, site });

  const scanNow = (active?: boolean) =>
    run(async () => setActive(await scansApi.create(org.id, current.id, active)));
  const verified = current.verification.verified;

  return (
    <>
      <section className="card site-head" aria-label="Summary">
        <LatestGrade grade={current.latestGrade} />
        <div className="site-card-text">
          <p className="break">
            <a href={current.url} rel="noreferrer noopener" target="_blank">
              {current.url}
            </a>
          </p>
          <p className="hint">Added {new Date(current.createdAt).toLocaleDateString()}</p>
          <p className="hint" data-testid="site-active-checks">
            {verified
              ? 'Active checks: on. Scans of this verified site also probe for exposed files, directory listings and TRACE; “Passive scan only” skips them.'
              : 'Active checks: off. Scans of this site only read what any visitor sees; verify ownership to run the active checks.'}
          </p>
        </div>
        <div className="site-actions">
          <button
            type="button"
            className="button primary"
            disabled={starting || (running !== undefined && !isFinished(running))}
            onClick={() => void scanNow()}
          >
            {starting ? 'Queuing…' : 'Scan now'}
          </button>
          {verified && (
            <button
              type="button"
              className="button secondary"
              disabled={starting || (running !== undefined && !isFinished(running))}
              onClick={() => void scanNow(false)}
            >
              Passive scan only
            </button>
          )}
          <Link to={`${href('findings')}?siteId=${encodeURIComponent(current.id)}`}>
            Findings of this site
          </Link>
        </div>
      </section>
      {scanError !== undefined && (
        <p className="state state-error" role="alert">
          {scanError instanceof ApiError && scanError.code === 'quota_exceeded'
            ? 'Your plan’s monthly scans are used up. Wait for next month or upgrade the plan.'
            : scanError instanceof Error
              ? scanError.message
              : 'The scan could not be queued.'}
        </p>
      )}
      {running && (
        <ScanProgress
          key={running.id}
          orgId={org.id}
          initial={running}
          onDone={(scan) => {
            if (active && !isFinished(active)) {
              setActive(scan);
              refresh();
            }
          }}
        />
      )}

      <section aria-labelledby="history-heading">
        <h2 id="history-heading">Grade history</h2>
        <HistoryChart trend={current.trend} />
      </section>

      <section aria-labelledby="scans-heading">
        <h2 id="scans-heading">Recent scans</h2>
        <RecentScans scans={data.scans} />
      </section>

      <div className="site-panels">
        <Verification org={org} site={current} onChange={changeSite} />
        <Schedule org={org} site={current} onChange={changeSite} />
      </div>
    </>
  );
}

export function SitePage({ siteId }: { siteId: string }) {
  const [title, setTitle] = useState('Site');
  return (
    <>
      <PageTitle>{title}</PageTitle>
      <OrgRequired>{(org) => <SiteView org={org} siteId={siteId} onTitle={setTitle} />}</OrgRequired>
    </>
  );
}
