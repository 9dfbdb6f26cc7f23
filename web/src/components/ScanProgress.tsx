import { useEffect, useState } from 'react';
import { isFinished, scansApi } from '../api/scans.ts';
import type { Scan, ScanStatus } from '../api/service-types.ts';
import { href, Link } from '../router.tsx';
import { ErrorState } from './States.tsx';

const POLL_MS = 1_000;

export const statusLabel: Record<ScanStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function ScanStatusBadge({ status }: { status: ScanStatus }) {
  return <span className={`badge scan-${status}`}>{statusLabel[status]}</span>;
}

/** Polls a scan until it finishes, showing its state and progress live; `onDone` when it stops. */
export function ScanProgress({
  orgId,
  initial,
  onDone,
}: {
  orgId: string;
  initial: Scan;
  onDone?: (scan: Scan) => void;
}) {
  const [scan, setScan] = useState(initial);
  const [error, setError] = useState<unknown>();
  const [cancelling, setCancelling] = useState(false);

  useEffect(() => {
    if (isFinished(scan)) {
      onDone?.(scan);
      return;
    }
    let live = true;
    const timer = window.setTimeout(() => {
      scansApi.get(orgId, scan.id).then(
        (next) => {
          if (!live) return;
          setError(undefined);
          setScan(next);
        },
        (failure: unknown) => {
          if (!live) return;
          setError(failure);
          // Keep polling through a transient failure: a fresh object retriggers the effect.
          setScan((current) => ({ ...current }));
        },
      );
    }, POLL_MS);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [scan, orgId]);

  const cancel = async () => {
    setCancelling(true);
    try {
      setScan(await scansApi.cancel(orgId, scan.id));
    } catch (failure) {
      setError(failure);
    } finally {
      setCancelling(false);
    }
  };

  return (
    <section className="card scan-progress" aria-labelledby={`scan-${scan.id}-heading`}>
      <h3 id={`scan-${scan.id}-heading`}>Scan of {scan.target}</h3>
      <p role="status" aria-live="polite" className="scan-state">
        <ScanStatusBadge status={scan.status} /> {scan.status === 'queued' && 'Waiting for a worker…'}
        {scan.status === 'running' && `${scan.progress}% done`}
        {scan.status === 'succeeded' && `Grade ${scan.grade ?? '–'} (${scan.score ?? '–'}/100)`}
        {scan.status === 'failed' && `Not graded: ${scan.error?.message ?? 'the scan failed.'}`}
        {scan.status === 'cancelled' && 'The scan was cancelled.'}
      </p>
      {!isFinished(scan) && (
        <>
          <label htmlFor={`scan-${scan.id}-progress`} className="visually-hidden">
            Scan progress
          </label>
          <progress id={`scan-${scan.id}-progress`} max={100} value={scan.progress} />
          <button
            type="button"
            className="button secondary"
            disabled={cancelling}
            onClick={() => void cancel()}
          >
            {cancelling ? 'Cancelling…' : 'Cancel scan'}
          </button>
        </>
      )}
      {scan.status === 'succeeded' && (
        <p>
          <Link to={href('orgScan', { scanId: scan.id })} className="button primary">
            Open the report
          </Link>
          {scan.diff && (
            <span className="hint">
              {' '}
              {scan.diff.new} new, {scan.diff.fixed} fixed, {scan.diff.regressed} regressed findings.
            </span>
          )}
        </p>
      )}
      {error !== undefined && <ErrorState error={error} />}
    </section>
  );
}
