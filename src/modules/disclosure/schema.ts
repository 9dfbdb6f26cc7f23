/** Request and answer shapes of the disclosure routes (routes.ts); the web app types its calls from them. */
import { Type } from '@sinclair/typebox';

export const Severity = Type.Union([
  Type.Literal('critical'),
  Type.Literal('high'),
  Type.Literal('medium'),
  Type.Literal('low'),
  Type.Literal('info'),
]);
export const Status = Type.Union([
  Type.Literal('new'),
  Type.Literal('triaged'),
  Type.Literal('fixing'),
  Type.Literal('resolved'),
  Type.Literal('rejected'),
]);
export const Report = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.String(),
  reporterEmail: Type.Union([Type.String(), Type.Null()]),
  status: Status,
  severity: Type.Union([Severity, Type.Null()]),
  createdAt: Type.String(),
  triagedAt: Type.Union([Type.String(), Type.Null()]),
  dueAt: Type.Union([Type.String(), Type.Null()]),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  overdue: Type.Boolean(),
});
export const ReportList = Type.Object({ reports: Type.Array(Report) });
export const ReportQuery = Type.Object({ status: Type.Optional(Status) });
export const ReportParams = Type.Object({ reportId: Type.String({ format: 'uuid' }) });
export const Triage = Type.Object({ status: Status, severity: Type.Optional(Severity) });
export const NewReport = Type.Object({
  title: Type.String({ minLength: 3, maxLength: 200 }),
  description: Type.String({ minLength: 10, maxLength: 20_000 }),
  email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
});
export const Submitted = Type.Object({ id: Type.String(), status: Type.Literal('new') });
