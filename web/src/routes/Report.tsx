import { useState } from 'react';
import { api, ApiError } from '../api/client.ts';
import { recentScan, rememberScan } from '../api/scan-cache.ts';
import type { PublicScan } from '../api/types.ts';
import { BrowserStageStatus, usePublicScan } from '../components/BrowserStageStatus.tsx';
import { ReportGrade, ReportDownloads, ReportFacts } from '../components/Report.tsx';
import { ReportTitle, RescanButton, RescanProvider } from '../components/ReportHeader.tsx';
import { ReportTabs } from '../components/ReportTabs.tsx';
import { ErrorState, Loading, PageTitle } from '../components/States.tsx';
import { useAction } from '../components/useAction.ts';
import { useAsync } from '../components/useAsync.ts';
import { href, Link, useRouter } from '../router.tsx';

function CopyLink() {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <>
      <button type="button" className="button secondary" onClick={() => void copy()}>
        Copy link
      </button>
      <span role="status" className="hint">
        {copied === 'copied'
          ? 'Link copied.'
          : copied === 'failed'
            ? `Copy this address: ${window.location.href}`
            : ''}
      </span>
    </>
  );
}

function ReportView({ scan: initial }: { scan: PublicScan }) {
  const scan = usePublicScan(initial);
  const { report } = scan;
  const { navigate } = useRouter();
  const rescan = async () => {
    const next = await api.createPublicScan(report.target);
    rememberScan(next);
    navigate(href('report', { id: next.id }));
  };
  return (
    <RescanProvider rescan={rescan}>
      <ReportTitle target={report.target} />
      <section className="report-summary card" aria-label="Summary">
        <ReportGrade report={report} />
        <div className="summary-text">
          <ReportFacts report={report} />
          <p className="hint">
            Scanned <time dateTime={report.finishedAt}>{new Date(report.finishedAt).toLocaleString()}</time> ·
            available until{' '}
            <time dateTime={scan.expiresAt}>{new Date(scan.expiresAt).toLocaleTimeString()}</time>
          </p>
          <BrowserStageStatus scan={scan} />
        </div>
        <div className="report-actions">
          <ReportDownloads hrefFor={(format) => api.publicScanDownload(scan.id, format)} />
          <CopyLink />
          <RescanButton />
        </div>
      </section>

      <ReportTabs
        report={report}
        screenshotHref={(visit) =>
          scan.screenshots.includes(visit) ? api.publicScanScreenshot(scan.id, visit) : undefined
        }
      />
    </RescanProvider>
  );
}

const isGone = (error: unknown): error is ApiError =>
  error instanceof ApiError && (error.code === 'report_expired' || error.code === 'not_found');

/** An expired (410) or unknown (404) report: say so, and offer the same scan again. */
function GoneReport({ error }: { error: ApiError }) {
  const { navigate } = useRouter();
  const { busy, error: scanError, run } = useAction();
  const { target, expiredAt } = (error.details ?? {}) as { target?: string; expiredAt?: string };
  const again = (url: string) =>
    void run(async () => {
      const scan = await api.createPublicScan(url);
      rememberScan(scan);
      navigate(href('report', { id: scan.id }));
    });
  return (
    <section className="card" aria-labelledby="gone-heading">
      <h2 id="gone-heading">
        {error.code === 'report_expired' ? 'This report has expired' : 'No report here'}
      </h2>
      {error.code === 'report_expired' ? (
        <p>
          Public reports are kept for an hour; this one expired
          {expiredAt && (
            <>
              {' '}
              at <time dateTime={expiredAt}>{new Date(expiredAt).toLocaleString()}</time>
            </>
          )}
          . A new scan takes about a minute.
        </p>
      ) : (
        <p>
          There is no report at this address: it may have expired (public reports are kept for an hour) or the
          link is incomplete.
        </p>
      )}
      <div className="actions">
        {target && (
          <button type="button" className="button primary" disabled={busy} onClick={() => again(target)}>
            {busy ? 'Scanning…' : `Scan ${target} again`}
          </button>
        )}
        <Link to={href('landing')} className={target ? 'button secondary' : 'button primary'}>
          Scan a site
        </Link>
      </div>
      {scanError !== undefined && <ErrorState error={scanError} />}
    </section>
  );
}

export function ReportPage({ id }: { id: string }) {
  const state = useAsync(async () => recentScan(id) ?? api.publicScan(id), [id]);
  return (
    <>
      {state.status !== 'done' && <PageTitle>Scan report</PageTitle>}
      {state.status === 'loading' && <Loading label="Loading the report…" />}
      {state.status === 'error' && isGone(state.error) && <GoneReport error={state.error} />}
      {state.status === 'error' && !isGone(state.error) && (
        <>
          <ErrorState error={state.error} onRetry={state.reload} />
          <p>
            <Link to={href('landing')}>Scan a site</Link>
          </p>
        </>
      )}
      {state.status === 'done' && <ReportView scan={state.data} />}
    </>
  );
}
