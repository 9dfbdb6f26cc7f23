/**
 * The console's sections and the staff permission each needs (the same permissions the server's
 * routes demand: src/modules/auth/permissions.ts). The session lists the user's permissions, so
 * only the sections the server would answer are offered; the server still checks every call.
 */
export const adminSections = [
  { id: 'retention', label: 'Retention', permission: 'staff:read' },
  { id: 'support', label: 'Support inbox', permission: 'staff:support' },
  { id: 'audit', label: 'Audit log', permission: 'staff:security' },
  { id: 'disclosure', label: 'Disclosure queue', permission: 'staff:security' },
  { id: 'incidents', label: 'Incidents', permission: 'staff:security' },
] as const;

export type AdminSectionId = (typeof adminSections)[number]['id'];

export const allowedSections = (permissions: readonly string[]) =>
  adminSections.filter((s) => permissions.includes(s.permission));
