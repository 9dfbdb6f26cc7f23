/**
 * The report's Privacy tab: the verdict first, then the three visits side by side, then what
 * scripts did (fingerprinting, key logging). Every string came from the scanned page: rendered
 * as text only (React escapes it), links only for VIOscan's own references.
 */
import type { VisitKind } from '../../../src/scanner/browser/types.ts';
import { consentParagraphs, days, gpcParagraphs } from '../../../src/scanner/report/privacy-sections.ts';
import { privacyVerdict } from '../../../src/scanner/report/privacy-verdict.ts';
import type { PrivacyReport, PrivacyVisitSummary } from '../../../src/scanner/types.ts';
import { Empty } from './States.tsx';
import { TableScroll } from './TableScroll.tsx';

/** Where a visit's screenshot can be loaded from, when one was kept. */
export type ScreenshotHref = (visit: VisitKind) => string | undefined;

const VISIT_HEADINGS: Record<VisitKind, string> = {
  none: 'Before consent',
  reject: 'After you reject',
  gpc: 'With GPC',
};

const purposeName = (purpose: string) =>
  purpose === 'unknown' ? 'purpose unknown' : purpose.replace('-', ' ');

function VisitColumn({
  report,
  visit,
  screenshot,
}: {
  report: PrivacyReport;
  visit: PrivacyVisitSummary;
  screenshot: string | undefined;
}) {
  const parties = report.thirdParties.filter((t) => (t.requests[visit.kind] ?? 0) > 0);
  const cookies = report.cookies.filter((c) => c.visit === visit.kind);
  const storage = (report.storage ?? []).filter((s) => s.visits.includes(visit.kind));
  const headingId = `visit-${visit.kind}-heading`;
  return (
    <article className="card visit" aria-labelledby={headingId}>
      <h3 id={headingId}>{VISIT_HEADINGS[visit.kind]}</h3>
      <p className="hint break">{visit.finalUrl ?? visit.url}</p>
      {visit.error && (
        <p className="state state-error">
          This visit did not complete: {visit.error.message} ({visit.error.code})
        </p>
      )}
      {screenshot && (
        <img
          className="visit-screenshot"
          src={screenshot}
          alt={`The page ${visit.label}, as VIOscan's browser showed it`}
          loading="lazy"
        />
      )}
      <p>
        {visit.requests} requests, {visit.thirdPartyRequests} to third parties, {visit.trackerRequests} to
        trackers; {visit.cookies} cookies{visit.blocked > 0 && `; ${visit.blocked} refused by VIOscan`}.
      </p>

      <h4>Third parties ({parties.length})</h4>
      {parties.length === 0 ? (
        <p className="hint">None contacted.</p>
      ) : (
        <ul className="visit-list">
          {parties.map((t) => (
            <li key={`${t.company}\n${t.purpose}`}>
              <strong>{t.company}</strong> <span className="badge">{purposeName(t.purpose)}</span>
              {t.tracker && <span className="badge tracker">tracker</span>}
              <br />
              <span className="hint break">
                {t.requests[visit.kind]} requests · {t.domains.join(', ')}
              </span>
            </li>
          ))}
        </ul>
      )}

      <h4>Cookies ({cookies.length})</h4>
      {cookies.length === 0 ? (
        <p className="hint">None set.</p>
      ) : (
        <ul className="visit-list">
          {cookies.map((c) => (
            <li key={`${c.name}\n${c.domain}`}>
              <strong className="break">{c.name}</strong> <span className="hint">on {c.domain}</span>{' '}
              {c.tracking && <span className="badge tracker">tracking</span>}
              <br />
              <span className="hint break">
                {c.party} party · {days(c.lifetimeDays)} · set by {c.via === 'js' ? 'a script' : 'a response'}
                {c.setBy && ` ${c.setBy}`}
                {c.blockedReasons &&
                  ` · refused with third-party cookies blocked (${c.blockedReasons.join(', ')})`}
              </span>
            </li>
          ))}
        </ul>
      )}

      <h4>Storage ({storage.length})</h4>
      {storage.length === 0 ? (
        <p className="hint">Nothing stored.</p>
      ) : (
        <ul className="visit-list">
          {storage.map((s) => (
            <li key={`${s.area}\n${s.origin}\n${s.key}`}>
              <strong className="break">{s.key}</strong> <span className="hint">in {s.area}</span>
              <br />
              <span className="hint break">
                {s.party} party · {s.origin}
                {s.script && ` · written by ${s.script}`} · “{s.valuePreview}”
              </span>
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

const visitNames = (kinds: VisitKind[]) => kinds.map((k) => VISIT_HEADINGS[k].toLowerCase()).join(', ');

function Fingerprinting({ report }: { report: PrivacyReport }) {
  return (
    <section aria-labelledby="fingerprinting-heading">
      <h2 id="fingerprinting-heading">Fingerprinting ({report.fingerprinting.length})</h2>
      {report.fingerprinting.length === 0 ? (
        <Empty>No script was seen fingerprinting the browser.</Empty>
      ) : (
        <TableScroll label="Fingerprinting and the script responsible">
          <table>
            <caption className="visually-hidden">Fingerprinting and the script responsible</caption>
            <thead>
              <tr>
                <th scope="col">Technique</th>
                <th scope="col">Script</th>
                <th scope="col">Party</th>
                <th scope="col">Visits</th>
                <th scope="col">Evidence</th>
              </tr>
            </thead>
            <tbody>
              {report.fingerprinting.map((f) => (
                <tr key={`${f.technique}\n${f.script}`}>
                  <th scope="row">{f.technique}</th>
                  <td className="evidence-cell">{f.script}</td>
                  <td>{f.party}</td>
                  <td>{visitNames(f.visits)}</td>
                  <td className="evidence-cell">{f.evidence}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

function KeyLogging({ report }: { report: PrivacyReport }) {
  const list = report.keyLogging ?? [];
  return (
    <section aria-labelledby="key-logging-heading">
      <h2 id="key-logging-heading">Key logging ({list.length})</h2>
      <p className="hint">
        VIOscan types made-up values into the page’s fields and never submits them; any that leave the page
        were taken as they were typed.
      </p>
      {list.length === 0 ? (
        <Empty>No typed value left the page.</Empty>
      ) : (
        <TableScroll label="Typed values that left the page">
          <table>
            <caption className="visually-hidden">Typed values that left the page</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Sent as</th>
                <th scope="col">Sent to</th>
                <th scope="col">By script</th>
                <th scope="col">Visits</th>
                <th scope="col">Evidence</th>
              </tr>
            </thead>
            <tbody>
              {list.map((k) => (
                <tr key={`${k.field}\n${k.encoding}\n${k.where}\n${k.requestUrl}`}>
                  <th scope="row">{k.field}</th>
                  <td>
                    {k.encoding} in the {k.where}
                  </td>
                  <td className="evidence-cell">
                    {k.requestUrl} ({k.party} party)
                  </td>
                  <td className="evidence-cell">{k.initiator ?? 'unknown'}</td>
                  <td>{visitNames(k.visits)}</td>
                  <td className="evidence-cell">{k.evidence}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

export function PrivacyPanel({
  report,
  screenshotHref,
}: {
  report: PrivacyReport;
  screenshotHref?: ScreenshotHref;
}) {
  if (report.error)
    return (
      <div className="state state-error" role="alert">
        <strong>The browser part of the scan could not run.</strong> {report.error.message}
      </div>
    );
  const lists = report.lists.map((l) => `${l.name} (${l.date})`).join('; ');
  return (
    <>
      <section aria-labelledby="privacy-verdict-heading" className="card privacy-verdict">
        <h2 id="privacy-verdict-heading">Verdict</h2>
        <ul data-testid="privacy-verdict">
          {privacyVerdict(report).map((sentence) => (
            <li key={sentence}>{sentence}</li>
          ))}
        </ul>
        {[...consentParagraphs(report.consent), ...gpcParagraphs(report.gpc)].map((p) => (
          <p key={p}>{p}</p>
        ))}
      </section>

      <section aria-labelledby="visits-heading">
        <h2 id="visits-heading">The three visits</h2>
        <p className="hint">
          The same page, opened three times in a fresh browser: once without answering the consent banner,
          once after choosing “reject all”, once with Global Privacy Control on.
        </p>
        <div className="visits">
          {report.visits.map((visit) => (
            <VisitColumn
              key={visit.kind}
              report={report}
              visit={visit}
              screenshot={screenshotHref?.(visit.kind)}
            />
          ))}
        </div>
      </section>

      <Fingerprinting report={report} />
      <KeyLogging report={report} />

      <p className="hint">
        Browser: {report.browser.product}; {report.browser.note}. Tracker lists: {lists || 'none loaded'}.
      </p>
    </>
  );
}
