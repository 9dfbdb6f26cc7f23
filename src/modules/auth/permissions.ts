import type { OrgRole, PlatformRole } from '../../db/types.ts';

/**
 * THE permission matrix (STYLE §24, ASVS 8.1.1): every role, every permission, one file.
 * Routes name a permission (`config: { access: requirePermission('sites:write') }`); docs and
 * tests read this file. Deny by default: anything not listed here is refused.
 */
export const orgPermissions = [
  'org:read',
  'org:write',
  'org:delete',
  'members:read',
  'members:write',
  'tokens:read',
  'tokens:write',
  'sites:read',
  'sites:write',
  'scans:read',
  'scans:write',
  'findings:read',
  'findings:write',
  'billing:read',
  'billing:write',
] as const;
export type OrgPermission = (typeof orgPermissions)[number];

/** Staff permissions; every one of them also needs a recent second-factor verification. */
export const platformPermissions = ['staff:read', 'staff:support', 'staff:security', 'staff:access'] as const;
export type PlatformPermission = (typeof platformPermissions)[number];

export type Permission = OrgPermission | PlatformPermission;

const read: OrgPermission[] = ['org:read', 'members:read', 'sites:read', 'scans:read', 'findings:read'];
const work: OrgPermission[] = [
  ...read,
  'tokens:read',
  'tokens:write',
  'sites:write',
  'scans:write',
  'findings:write',
];
const manage: OrgPermission[] = [...work, 'org:write', 'members:write', 'billing:read'];

export const orgRoleMatrix: Record<OrgRole, readonly OrgPermission[]> = {
  owner: [...manage, 'org:delete', 'billing:write'],
  admin: manage,
  member: work,
  viewer: read,
};

export const platformRoleMatrix: Record<PlatformRole, readonly PlatformPermission[]> = {
  user: [],
  support: ['staff:read', 'staff:support'],
  security: ['staff:read', 'staff:security'],
  admin: ['staff:read', 'staff:support', 'staff:security', 'staff:access'],
};

/** What an API token may carry: work on an organisation's sites, scans and findings, never on people or tokens. */
export const tokenScopes = [
  'org:read',
  'sites:read',
  'sites:write',
  'scans:read',
  'scans:write',
  'findings:read',
  'findings:write',
] as const;
export type TokenScope = (typeof tokenScopes)[number];

export const orgRoles: OrgRole[] = ['owner', 'admin', 'member', 'viewer'];
export const platformRoles: PlatformRole[] = ['user', 'support', 'security', 'admin'];

export function isOrgPermission(p: Permission): p is OrgPermission {
  return (orgPermissions as readonly string[]).includes(p);
}

export function orgRoleCan(role: OrgRole, permission: OrgPermission): boolean {
  return orgRoleMatrix[role].includes(permission);
}

export function platformRoleCan(role: PlatformRole, permission: PlatformPermission): boolean {
  return platformRoleMatrix[role].includes(permission);
}

/**
 * What a route demands: `public`, `signed-in` (any session: the account's own pages), `token`
 * (a Bearer API token, whatever its scopes: the token's own metadata), or one
 * permission. Org permissions need an `:orgId` path parameter; the caller must be a member
 * (or hold a token for that org) — otherwise the org does not exist for them (404, ASVS 8.2.2).
 */
export type Access = 'public' | 'signed-in' | 'token' | { permission: Permission };

export function requirePermission(permission: Permission): Access {
  return { permission };
}
