import { useEffect, useState } from 'react';
import { ApiError } from '../api/http.ts';
import { isFinished, scansApi } from '../api/scans.ts';
import type { Scan, Site, ThirdPartyHistory } from '../api/service-types.ts';
import { sitesApi, takeSiteNotice } from '../api/sites.ts';
import type { Org } from '../api/types.ts';
import { errorMessage } from '../components/errors.ts';
import { HistoryChart } from '../components/GradeHistory.tsx';
import { OrgRequired } from '../components/OrgRequired.tsx';
import { LatestGrade } from '../components/Report.tsx';
import { ScanProgress } from '../components/ScanProgress.tsx';
import { ErrorState, Loading, PageTitle } from '../components/States.tsx';
import { useAction } from '../components/useAction.ts';
import { useAsync } from '../components/useAsync.ts';
import { href, Link } from '../router.tsx';
import { SiteSettings } from './site/EditSite.tsx';
import { RecentScans } from './site/RecentScans.tsx';
import { Schedule } from './site/Schedule.tsx';
import { ThirdPartiesOverTime } from './site/ThirdPartiesOverTime.tsx';
import { Verification } from './site/Verification.tsx';
import '../styles/service.css';

interface SiteData {
  site: Site;
  scans: Scan[];
  thirdParties: ThirdPartyHistory;
}

async function loadSite(orgId: string, siteId: string): Promise<SiteData> {
  const [site, scans, thirdParties] = await Promise.all([
    sitesApi.get(orgId, siteId),
    scansApi.list(orgId, siteId),
    sitesApi.thirdParties(orgId, siteId),
  ]);
  return { site, scans: scans.scans, thirdParties };
}

/** The privacy grades of the trend: only scans whose browser stage graded privacy. */
const privacyPoints = (trend: Site['trend']) =>
  trend.flatMap((p) =>
    p.privacyGrade === null || p.privacyScore === null
      ? []
      : [{ at: p.at, grade: p.privacyGrade, score: p.privacyScore }],
  );

function SiteView({ org, siteId, onTitle }: { org: Org; siteId: string; onTitle: (title: string) => void }) {
  const state = useAsync(() => loadSite(org.id, siteId), [org.id, siteId]);
  // Quiet refreshes (after a scan or a change) replace the data without a loading state.
  const [fresh, setFresh] = useState<SiteData>();
  const [active, setActive] = useState<Scan>();
  // Set once by the add-site form: which address a bare host became and why.
  const [added] = useState(() => takeSiteNotice(siteId));
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
  const scanning = running !== undefined && !isFinished(running);

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
            disabled={starting || scanning}
            aria-describedby={scanning ? 'scan-busy' : undefined}
            onClick={() => void scanNow()}
          >
            {starting ? 'Queuing…' : 'Scan now'}
          </button>
          {verified && (
            <button
              type="button"
              className="button secondary"
              disabled={starting || scanning}
              aria-describedby={scanning ? 'scan-busy' : undefined}
              onClick={() => void scanNow(false)}
            >
              Passive scan only
            </button>
          )}
          {scanning && (
            <p className="hint" id="scan-busy">
              A scan of this site is under way: a new one can start when it has finished.
            </p>
          )}
          <Link to={`${href('findings')}?siteId=${encodeURIComponent(current.id)}`}>
            Findings of this site
          </Link>
        </div>
      </section>
      {added && (
        <p className="state notice-ok" role="status">
          {added}
        </p>
      )}
      <SiteSettings org={org} site={current} onChange={changeSite} />
      {scanError !== undefined && (
        <p className="state state-error" role="alert">
          {scanError instanceof ApiError && scanError.code === 'quota_exceeded'
            ? 'Your plan’s monthly scans are used up. Wait for next month or upgrade the plan.'
            : errorMessage(scanError)}
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
        <div className="grade-histories">
          <section aria-labelledby="security-history-heading">
            <h3 id="security-history-heading">Security</h3>
            <HistoryChart
              points={current.trend}
              id="history"
              subject="Score"
              scans={{ one: 'successful scan', many: 'successful scans' }}
              empty="No successful scan yet: run one to start the history."
            />
          </section>
          <section aria-labelledby="privacy-history-heading">
            <h3 id="privacy-history-heading">Privacy</h3>
            <HistoryChart
              points={privacyPoints(current.trend)}
              id="privacy-history"
              subject="Privacy score"
              scans={{ one: 'browser scan', many: 'browser scans' }}
              empty="No browser scan among these yet: privacy is graded by scans that open the site in a browser."
            />
          </section>
        </div>
      </section>

      <section aria-labelledby="third-parties-heading">
        <h2 id="third-parties-heading">Third parties over time</h2>
        <ThirdPartiesOverTime history={data.thirdParties} />
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
