/**
 * The site page's "third parties over time": per recent browser scan, which third parties appeared
 * and which went away since the browser scan before it. Company names and domains came from the
 * scanned site (or VIOscan's owner map): rendered as text only.
 */
import type { ThirdPartyHistory } from '../../api/service-types.ts';
import { Empty } from '../../components/States.tsx';
import { href, Link } from '../../router.tsx';

type Entry = ThirdPartyHistory['scans'][number];
type Party = Entry['appeared'][number];

const purposeName = (purpose: string) =>
  purpose === 'unknown' ? 'purpose unknown' : purpose.replace('-', ' ');

function Parties({ parties, none }: { parties: Party[]; none: string }) {
  if (parties.length === 0) return <span className="hint">{none}</span>;
  return (
    <ul className="party-list">
      {parties.map((t) => (
        <li key={`${t.company}\n${t.purpose}`}>
          <strong className="break">{t.company}</strong>{' '}
          <span className="badge">{purposeName(t.purpose)}</span>
          {t.tracker && <span className="badge tracker">tracker</span>}
          <br />
          <span className="hint break">{t.domains.join(', ')}</span>
        </li>
      ))}
    </ul>
  );
}

export function ThirdPartiesOverTime({ history }: { history: ThirdPartyHistory }) {
  if (history.scans.length === 0)
    return (
      <Empty>
        No browser scan yet: third parties are seen by scans that open the site in a browser, as the plan
        allows.
      </Empty>
    );
  return (
    <div className="table-wrap">
      <table data-testid="third-parties-over-time">
        <caption className="visually-hidden">
          Third parties of each browser scan, newest first, compared with the browser scan before it
        </caption>
        <thead>
          <tr>
            <th scope="col">Browser scan</th>
            <th scope="col">Third parties</th>
            <th scope="col">Appeared</th>
            <th scope="col">Went away</th>
          </tr>
        </thead>
        <tbody>
          {history.scans.map((entry) => (
            <tr key={entry.scanId} data-testid="third-parties-row">
              <th scope="row">
                <Link to={href('orgScan', { scanId: entry.scanId })}>
                  <time dateTime={entry.at}>{new Date(entry.at).toLocaleString()}</time>
                </Link>
              </th>
              <td>
                {entry.thirdParties} ({entry.trackers} {entry.trackers === 1 ? 'tracker' : 'trackers'})
              </td>
              <td>
                {entry.first && <p className="hint">First browser scan: everything it saw.</p>}
                <Parties parties={entry.appeared} none="None" />
              </td>
              <td>
                <Parties parties={entry.disappeared} none={entry.first ? '–' : 'None'} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
