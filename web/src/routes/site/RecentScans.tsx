import type { Scan } from '../../api/service-types.ts';
import { ErrorDetails, ScanStatusBadge, scanSource } from '../../components/ScanProgress.tsx';
import { Empty } from '../../components/States.tsx';
import { href, Link } from '../../router.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';

export function RecentScans({ scans }: { scans: Scan[] }) {
  if (scans.length === 0) return <Empty>No scans yet.</Empty>;
  return (
    <TableScroll label="Recent scans of this site, newest first">
      <table>
        <caption className="visually-hidden">Recent scans of this site, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Requested</th>
            <th scope="col">State</th>
            <th scope="col">Grade</th>
            <th scope="col">Changes</th>
            <th scope="col">Started by</th>
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
                {scan.error && (
                  <>
                    <span className="hint"> {scan.error.message}</span>
                    <ErrorDetails detail={scan.error.detail} />
                  </>
                )}
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
              <td>{scanSource(scan)}</td>
              <td>{scan.active ? 'yes' : 'no'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
