import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import type { PublicScan } from '../api/types.ts';

const POLL_MS = 2_000;

const waiting = (scan: PublicScan) => scan.browser.status === 'queued' || scan.browser.status === 'running';

/**
 * Polls a public scan while its browser stage waits or runs (any web process answers: the queue is
 * in the database); the report with its Privacy and Accessibility tabs replaces the passive one.
 */
export function usePublicScan(initial: PublicScan): PublicScan {
  const [scan, setScan] = useState(initial);
  useEffect(() => setScan(initial), [initial]);
  useEffect(() => {
    if (!waiting(scan)) return;
    let live = true;
    const timer = window.setTimeout(() => {
      api.publicScan(scan.id).then(
        (next) => live && setScan(next),
        // Keep polling through a transient failure: a fresh object retriggers the effect.
        () => live && setScan((current) => ({ ...current })),
      );
    }, POLL_MS);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [scan]);
  return scan;
}

/** Where the privacy and accessibility part stands: waiting (with the queue position), running, or why it is missing. */
export function BrowserStageStatus({ scan }: { scan: PublicScan }) {
  const { browser } = scan;
  let text = '';
  if (browser.status === 'off' && !scan.report.privacy)
    return <p className="hint">This instance does not run the privacy and accessibility checks.</p>;
  if (browser.status === 'queued')
    text = `Privacy and accessibility checks waiting: position ${browser.position} in the queue.`;
  else if (browser.status === 'running')
    text = 'Privacy and accessibility checks: running the browser visits…';
  else if (browser.status === 'failed')
    text = `The privacy and accessibility sections are missing: ${browser.error.message}`;
  else if (browser.status === 'done') text = 'The privacy and accessibility sections are ready.';
  return (
    <p
      role="status"
      className={
        browser.status === 'queued' || browser.status === 'running'
          ? 'state state-loading browser-stage'
          : browser.status === 'failed'
            ? 'state browser-stage'
            : 'visually-hidden'
      }
      data-testid="browser-stage"
    >
      {(browser.status === 'queued' || browser.status === 'running') && (
        <span className="spinner" aria-hidden="true" />
      )}{' '}
      {text}
    </p>
  );
}
