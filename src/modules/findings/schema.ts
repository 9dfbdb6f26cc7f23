import { Type } from '@sinclair/typebox';

const Id = Type.String({ maxLength: 64 });
export const OrgParams = Type.Object({ orgId: Id });
export const FindingParams = Type.Object({ orgId: Id, findingId: Id });
const SeveritySchema = Type.Union([
  Type.Literal('critical'),
  Type.Literal('high'),
  Type.Literal('medium'),
  Type.Literal('low'),
  Type.Literal('info'),
]);
const StatusSchema = Type.Union([
  Type.Literal('open'),
  Type.Literal('acknowledged'),
  Type.Literal('resolved'),
  Type.Literal('accepted'),
  Type.Literal('false_positive'),
]);
const DueSchema = Type.Union([
  Type.Literal('overdue'),
  Type.Literal('due_soon'),
  Type.Literal('on_track'),
  Type.Literal('none'),
]);

export const BoardQuery = Type.Object({
  siteId: Type.Optional(Id),
  severity: Type.Optional(SeveritySchema),
  status: Type.Optional(StatusSchema),
  due: Type.Optional(DueSchema),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});

export const Finding = Type.Object({
  id: Type.String(),
  siteId: Type.String(),
  checkId: Type.String(),
  outcome: Type.String(),
  severity: SeveritySchema,
  title: Type.String(),
  evidence: Type.String(),
  remediation: Type.String(),
  status: StatusSchema,
  firstSeenAt: Type.String(),
  lastSeenAt: Type.String(),
  dueAt: Type.Union([Type.String(), Type.Null()]),
  due: DueSchema,
  overdue: Type.Boolean(),
  resolvedAt: Type.Union([Type.String(), Type.Null()]),
  accepted: Type.Union([Type.Object({ reason: Type.String(), until: Type.String() }), Type.Null()]),
  reopenedCount: Type.Integer(),
});

const Counts = (keys: string[]) => Type.Object(Object.fromEntries(keys.map((k) => [k, Type.Integer()])));
export const Board = Type.Object({
  findings: Type.Array(Finding),
  counts: Type.Object({
    total: Type.Integer(),
    /** Findings that need work (open or acknowledged): accepted risks, false positives and resolved ones are not. */
    open: Type.Integer(),
    openBySeverity: Counts(['critical', 'high', 'medium', 'low', 'info']),
    bySeverity: Counts(['critical', 'high', 'medium', 'low', 'info']),
    byDue: Counts(['overdue', 'due_soon', 'on_track', 'none']),
    byStatus: Counts(['open', 'acknowledged', 'resolved', 'accepted', 'false_positive']),
  }),
});

export const TransitionBody = Type.Object({
  status: Type.Union([
    Type.Literal('open'),
    Type.Literal('acknowledged'),
    Type.Literal('accepted'),
    Type.Literal('false_positive'),
  ]),
  reason: Type.Optional(Type.String({ minLength: 3, maxLength: 500 })),
  until: Type.Optional(Type.String({ format: 'date-time' })),
  endAcceptance: Type.Optional(
    Type.Boolean({ description: 'Required (true) to move an accepted risk elsewhere: its acceptance ends' }),
  ),
});

const Days = Type.Integer({ minimum: 1, maximum: 365 });
export const RemediationTargets = Type.Object({
  critical: Days,
  high: Days,
  medium: Days,
  low: Days,
});
