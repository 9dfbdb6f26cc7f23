import { useState } from 'react';
import { screenshotName } from '../../../src/modules/scans/evidence-names.ts';
import { isFinished, scansApi } from '../api/scans.ts';
import type { Scan } from '../api/service-types.ts';
import type { Org, Report } from '../api/types.ts';
import { OrgRequired } from '../components/OrgRequired.tsx';
import { ReportGrade, ReportDownloads, ReportFacts } from '../components/Report.tsx';
import { ReportTitle, RescanButton, RescanProvider } from '../components/ReportHeader.tsx';
import { ReportTabs } from '../components/ReportTabs.tsx';
import { ScanProgress } from '../components/ScanProgress.tsx';
import { ErrorState, Loading, PageTitle } from '../components/States.tsx';
import { useAsync } from '../components/useAsync.ts';
import { href, Link, useRouter } from '../router.tsx';
import '../styles/service.css';

/** The stored report of an organisation's scan, rendered with the public report's components. */
function StoredReport({ org, scan }: { org: Org; scan: Scan }) {
  const state = useAsync(() => scansApi.report(org.id, scan.id), [org.id, scan.id]);
  const { navigate } = useRouter();
  const rescan = async () => {
    const next = await scansApi.create(org.id, scan.siteId);
    navigate(href('orgScan', { scanId: next.id }));
  };
  if (state.status !== 'done')
    return (
      <>
        <PageTitle>Scan report</PageTitle>
        {state.status === 'loading' && <Loading label="Loading the report…" />}
        {state.status === 'error' && <ErrorState error={state.error} onRetry={state.reload} />}
      </>
    );
  const report: Report = state.data;
  return (
    <RescanProvider rescan={rescan}>
      <ReportTitle target={report.target} />
      <section className="report-summary card" aria-label="Summary">
        <ReportGrade report={report} />
        <div className="summary-text">
          <ReportFacts report={report} />
          {scan.diff && (
            <p>
              Since the previous scan: {scan.diff.new} new, {scan.diff.fixed} fixed, {scan.diff.regressed}{' '}
              regressed, {scan.diff.persisting} persisting.
            </p>
          )}
          <p data-testid="scan-active-checks">
            Active checks: {scan.active ? 'ran' : 'not run'}
            <span className="hint">
              {scan.active
                ? ' (exposed files, directory listings, TRACE on this verified site)'
                : ' (a passive scan: only what any visitor sees)'}
            </span>
          </p>
          <p className="hint">
            Scanned <time dateTime={report.finishedAt}>{new Date(report.finishedAt).toLocaleString()}</time> ·{' '}
            <Link to={href('site', { siteId: scan.siteId })}>the site’s page</Link> ·{' '}
            <Link to={`${href('findings')}?siteId=${encodeURIComponent(scan.siteId)}`}>its findings</Link>
          </p>
        </div>
        <div className="report-actions">
          <ReportDownloads hrefFor={(format) => scansApi.download(org.id, scan.id, format)} />
          <RescanButton />
          {scan.evidence && scan.evidence.length > 0 && (
            <>
              <span className="hint" id="evidence-label">
                Evidence
              </span>
              <ul className="downloads" aria-labelledby="evidence-label">
                <li>
                  <a
                    className="button secondary"
                    href={scansApi.evidenceBundle(org.id, scan.id)}
                    download
                    data-testid="evidence-bundle"
                  >
                    All evidence (zip)
                  </a>
                </li>
                {scan.evidence.map((name) => (
                  <li key={name}>
                    <a className="button secondary" href={scansApi.evidence(org.id, scan.id, name)} download>
                      {name}
                    </a>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      </section>

      <ReportTabs
        report={report}
        screenshotHref={(visit) => {
          const name = screenshotName(visit);
          return scan.evidence?.includes(name) ? scansApi.evidence(org.id, scan.id, name) : undefined;
        }}
      />
    </RescanProvider>
  );
}

function ScanView({ org, scanId }: { org: Org; scanId: string }) {
  const state = useAsync(() => scansApi.get(org.id, scanId), [org.id, scanId]);
  const [finished, setFinished] = useState<Scan>();
  const scan = state.status === 'done' ? (finished?.id === scanId ? finished : state.data) : undefined;
  if (scan?.status === 'succeeded') return <StoredReport org={org} scan={scan} />;
  // The report's own title is its host; until there is one, the page is "Scan report".
  return (
    <>
      <PageTitle>Scan report</PageTitle>
      {state.status === 'loading' && <Loading label="Loading the scan…" />}
      {state.status === 'error' && <ErrorState error={state.error} onRetry={state.reload} />}
      {scan && (
        <ScanProgress
          orgId={org.id}
          initial={scan}
          onDone={(done) => {
            if (!isFinished(scan)) setFinished(done);
          }}
        />
      )}
    </>
  );
}

export function OrgScanPage({ scanId }: { scanId: string }) {
  return (
    <>
      <OrgRequired>{(org) => <ScanView org={org} scanId={scanId} />}</OrgRequired>
    </>
  );
}
