import type {
  AuditFilter,
  AuditLog,
  AuditVerification,
  DisclosureReport,
  DisclosureReportList,
  Incident,
  IncidentList,
  Inventory,
  NewIncident,
  NewIncidentUpdate,
  ReportStatus,
  SupportCreated,
  SupportMessageList,
  SupportReply,
  Triage,
} from './admin-types.ts';
import { request } from './http.ts';

const enc = encodeURIComponent;

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The staff console's calls. Every one needs a staff permission and a recent MFA step-up (server-side). */
export const adminApi = {
  inventory: () => request<Inventory>('GET', '/api/v1/admin/privacy/inventory'),

  supportInbox: () => request<SupportMessageList>('GET', '/api/v1/admin/support/messages'),
  supportReply: (messageId: string, body: string) =>
    request<SupportCreated>('POST', `/api/v1/admin/support/messages/${enc(messageId)}/reply`, {
      body,
    } satisfies SupportReply),

  audit: (filter: AuditFilter) => request<AuditLog>('GET', `/api/v1/admin/audit${query({ ...filter })}`),
  verifyAudit: () => request<AuditVerification>('GET', '/api/v1/admin/audit/verify'),

  reports: (status?: ReportStatus) =>
    request<DisclosureReportList>('GET', `/api/v1/admin/disclosure/reports${query({ status })}`),
  triage: (reportId: string, change: Triage) =>
    request<DisclosureReport>('PATCH', `/api/v1/admin/disclosure/reports/${enc(reportId)}`, change),

  incidents: () => request<IncidentList>('GET', '/api/v1/admin/incidents'),
  createIncident: (incident: NewIncident) => request<Incident>('POST', '/api/v1/admin/incidents', incident),
  updateIncident: (incidentId: string, update: NewIncidentUpdate) =>
    request<Incident>('POST', `/api/v1/admin/incidents/${enc(incidentId)}/updates`, update),
};
