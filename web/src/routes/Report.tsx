import { useState } from 'react';
import { api } from '../api/client.ts';
import { recentScan } from '../api/scan-cache.ts';
import type { PublicScan } from '../api/types.ts';
import { ReportBody, ReportGrade, ReportDownloads, ReportFacts } from '../components/Report.tsx';
import { ErrorState, Loading, PageTitle } from '../components/States.tsx';
import { useAsync } from '../components/useAsync.ts';
import { href, Link } from '../router.tsx';

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

function ReportView({ scan }: { scan: PublicScan }) {
  const { report } = scan;
  return (
    <>
      <section className="report-summary card" aria-label="Summary">
        <ReportGrade report={report} />
        <div className="summary-text">
          <ReportFacts report={report} />
          <p className="hint">
            Scanned <time dateTime={report.finishedAt}>{new Date(report.finishedAt).toLocaleString()}</time> ·
            available until{' '}
            <time dateTime={scan.expiresAt}>{new Date(scan.expiresAt).toLocaleTimeString()}</time>
          </p>
        </div>
        <div className="report-actions">
          <ReportDownloads hrefFor={(format) => api.publicScanDownload(scan.id, format)} />
          <CopyLink />
        </div>
      </section>

      <ReportBody report={report} />
    </>
  );
}

export function ReportPage({ id }: { id: string }) {
  const state = useAsync(async () => recentScan(id) ?? api.publicScan(id), [id]);
  return (
    <>
      <PageTitle>Scan report</PageTitle>
      {state.status === 'loading' && <Loading label="Loading the report…" />}
      {state.status === 'error' && (
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
