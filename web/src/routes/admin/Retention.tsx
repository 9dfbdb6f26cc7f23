import { adminApi } from '../../api/admin.ts';
import type { InventoryClass, Inventory } from '../../api/admin-types.ts';
import { Loading } from '../../components/States.tsx';
import { useAsync } from '../../components/useAsync.ts';
import { LoadError, formatTime } from './StepUp.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';

/** What the last purge run did for one class: rows removed or cleared, or why it skipped. */
function lastPurgeOf(dataClass: InventoryClass, lastPurge: Inventory['lastPurge']): string {
  if (dataClass.purge.length === 0) return 'No automatic purge';
  if (!lastPurge) return 'Not run yet';
  const results = lastPurge.results.filter((r) => r.classId === dataClass.id);
  if (results.length === 0) return `${formatTime(lastPurge.ranAt)}: no rule ran`;
  const parts = results.map((r) =>
    r.skipped
      ? `${r.table} skipped (${r.skipped})`
      : `${r.affected ?? 0} ${r.action === 'delete' ? 'deleted' : 'cleared'} in ${r.table}`,
  );
  return `${formatTime(lastPurge.ranAt)}: ${parts.join('; ')}`;
}

/** The data inventory (one list drives the purge job, this view and the public /security table). */
export function RetentionSection() {
  const state = useAsync(() => adminApi.inventory());
  if (state.status === 'loading') return <Loading label="Loading the data inventory…" />;
  if (state.status === 'error') return <LoadError error={state.error} onRetry={state.reload} />;
  const { classes, lastPurge } = state.data;
  return (
    <section aria-labelledby="retention-title">
      <h2 id="retention-title">Retention</h2>
      <p className="hint">
        Every class of data VIOscan keeps, why and for how long. The purge job applies these periods;{' '}
        {lastPurge ? `it last ran ${formatTime(lastPurge.ranAt)}.` : 'it has not run yet.'}
      </p>
      <TableScroll label="Data inventory and retention">
        <table className="admin-table" data-testid="retention-table">
          <caption className="visually-hidden">Data inventory and retention</caption>
          <thead>
            <tr>
              <th scope="col">Data class</th>
              <th scope="col">Purpose</th>
              <th scope="col">Legal basis</th>
              <th scope="col">Retention</th>
              <th scope="col">Last purge</th>
            </tr>
          </thead>
          <tbody>
            {classes.map((c) => (
              <tr key={c.id}>
                <th scope="row">
                  {c.name} <span className="badge admin-kind">{c.kind}</span>
                  <span className="hint admin-cell-note">{c.data}</span>
                </th>
                <td>{c.purpose}</td>
                <td>{c.legalBasis}</td>
                <td>
                  {c.retention}
                  {c.configuredBy.length > 0 && (
                    <span className="hint admin-cell-note">Set by {c.configuredBy.join(', ')}</span>
                  )}
                </td>
                <td>{lastPurgeOf(c, lastPurge)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}
