import { Type } from '@sinclair/typebox';

export const OrgRoleSchema = Type.Union([
  Type.Literal('owner'),
  Type.Literal('admin'),
  Type.Literal('member'),
  Type.Literal('viewer'),
]);
export const OrgParams = Type.Object({ orgId: Type.String({ maxLength: 64 }) });
export const MemberParams = Type.Object({
  orgId: Type.String({ maxLength: 64 }),
  userId: Type.String({ maxLength: 64 }),
});
export const OrgBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) });
export const Org = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  role: Type.Optional(Type.Union([OrgRoleSchema, Type.Null()])),
});
export const OrgList = Type.Object({ orgs: Type.Array(Org) });
export const MemberBody = Type.Object({ email: Type.String({ maxLength: 1024 }), role: OrgRoleSchema });
export const Member = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: OrgRoleSchema,
  since: Type.String(),
});
export const MemberList = Type.Object({ members: Type.Array(Member) });
/** Leaving takes no input; the member is the signed-in user. */
export const LeaveBody = Type.Object({});
