import { request } from './http.ts';
import { orgPath } from './orgs.ts';
import type { Board, BoardQuery, ServiceFinding, Transition } from './service-types.ts';

function query(filters: BoardQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export const findingsApi = {
  board: (orgId: string, filters: BoardQuery) =>
    request<Board>('GET', orgPath(orgId, `/findings${query({ ...filters })}`)),
  exportCsv: (orgId: string, filters: BoardQuery) => orgPath(orgId, `/findings/export.csv${query(filters)}`),
  transition: (orgId: string, findingId: string, body: Transition) =>
    request<ServiceFinding>('PATCH', orgPath(orgId, `/findings/${encodeURIComponent(findingId)}`), body),
};
