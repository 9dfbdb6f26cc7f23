import { Type, type Static } from '@sinclair/typebox';

export const ProbeStatus = Type.Union([Type.Literal('ok'), Type.Literal('degraded'), Type.Literal('down')]);
export const IncidentImpact = Type.Union([
  Type.Literal('minor'),
  Type.Literal('major'),
  Type.Literal('critical'),
]);
export const IncidentStatus = Type.Union([
  Type.Literal('investigating'),
  Type.Literal('identified'),
  Type.Literal('monitoring'),
  Type.Literal('resolved'),
]);

/** A component's state on the page: `no_data` when its newest probe is stale (the monitor stopped). */
export const ComponentStatus = Type.Union([ProbeStatus, Type.Literal('no_data')]);

export const ComponentName = Type.String({ pattern: '^[a-z][a-z-]{0,39}$' });

export const IncidentUpdate = Type.Object({
  status: IncidentStatus,
  message: Type.String(),
  at: Type.String({ format: 'date-time' }),
});

export const Incident = Type.Object({
  id: Type.String({ format: 'uuid' }),
  title: Type.String(),
  impact: IncidentImpact,
  status: IncidentStatus,
  components: Type.Array(Type.String()),
  startedAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  resolvedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  updates: Type.Array(IncidentUpdate, { description: 'Newest first' }),
});
export type IncidentJson = Static<typeof Incident>;

export const UptimeBar = Type.Object({
  day: Type.String({ description: 'UTC date, YYYY-MM-DD' }),
  /** null: no probe that day (the monitor was not running). */
  ratio: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]),
  worst: Type.Union([ProbeStatus, Type.Null()]),
});

export const StatusComponent = Type.Object({
  id: Type.String(),
  name: Type.String(),
  status: ComponentStatus,
  checkedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  uptime: Type.Object({
    ratio: Type.Union([Type.Number(), Type.Null()], {
      description: 'ok probes / all probes over the window',
    }),
    days: Type.Array(UptimeBar, { description: 'Oldest first, one per day of the window' }),
  }),
});

export const StatusDocument = Type.Object({
  status: Type.Union([ProbeStatus, Type.Literal('no_data')], {
    description: 'The worst component (no_data above ok), raised by open incidents',
  }),
  generatedAt: Type.String({ format: 'date-time' }),
  windowDays: Type.Integer(),
  components: Type.Array(StatusComponent),
  incidents: Type.Array(Incident, { description: 'Open incidents, then those resolved in the last 14 days' }),
  backups: Type.Object({
    lastBackupAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    rpoTargetHours: Type.Number(),
    lastDrillAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    lastDrillOk: Type.Union([Type.Boolean(), Type.Null()]),
    rtoSeconds: Type.Union([Type.Number(), Type.Null()]),
  }),
});
export type StatusDocumentJson = Static<typeof StatusDocument>;

export const IncidentList = Type.Object({ incidents: Type.Array(Incident) });

export const NewIncident = Type.Object({
  title: Type.String({ minLength: 3, maxLength: 200 }),
  impact: IncidentImpact,
  status: Type.Optional(IncidentStatus),
  components: Type.Array(ComponentName, { maxItems: 20, default: [] }),
  message: Type.String({ minLength: 3, maxLength: 5000 }),
});

export const NewIncidentUpdate = Type.Object({
  status: IncidentStatus,
  message: Type.String({ minLength: 3, maxLength: 5000 }),
});
