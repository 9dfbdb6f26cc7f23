import { Type, type Static } from '@sinclair/typebox';

/** One kind of consent as it stands now (terms and privacy are required; the rest optional). */
export const Consent = Type.Object({
  kind: Type.String(),
  purpose: Type.String(),
  required: Type.Boolean(),
  currentVersion: Type.String(),
  granted: Type.Boolean(),
  version: Type.Union([Type.String(), Type.Null()]),
  grantedAt: Type.Union([Type.String(), Type.Null()]),
  withdrawnAt: Type.Union([Type.String(), Type.Null()]),
});

export const ConsentRecord = Type.Object({
  kind: Type.String(),
  version: Type.String(),
  grantedAt: Type.Union([Type.String(), Type.Null()]),
  withdrawnAt: Type.Union([Type.String(), Type.Null()]),
});

export const Consents = Type.Object({ consents: Type.Array(Consent), history: Type.Array(ConsentRecord) });
export const ConsentParams = Type.Object({
  kind: Type.Union([Type.Literal('terms'), Type.Literal('privacy'), Type.Literal('product_email')]),
});
export const ConsentBody = Type.Object({ granted: Type.Boolean() });

/** An export's state; the download link (with its token) is only ever shown once, when it is requested. */
export const ExportState = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('ready'), Type.Literal('failed')]),
  createdAt: Type.String(),
  readyAt: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Type.String(),
  expired: Type.Boolean(),
});

export const ExportList = Type.Object({ exports: Type.Array(ExportState) });

export const ExportRequested = Type.Object({
  id: Type.String(),
  status: Type.Literal('pending'),
  url: Type.String(),
});

export const DeleteBody = Type.Object({ confirm: Type.String({ maxLength: 100 }) });
export const Deleted = Type.Object({
  deleted: Type.Literal(true),
  orgsDeleted: Type.Integer(),
  orgsTransferred: Type.Integer(),
});

/** A row of the public retention table (inventory.ts `retentionTable`). */
export const RetentionRow = Type.Object({
  id: Type.String(),
  name: Type.String(),
  data: Type.String(),
  purpose: Type.String(),
  legalBasis: Type.String(),
  retention: Type.String(),
  retentionDays: Type.Union([Type.Integer(), Type.Null()]),
});
export const RetentionTable = Type.Object({ classes: Type.Array(RetentionRow) });

const PurgeAction = Type.Union([Type.Literal('delete'), Type.Literal('clear')]);

/** One data class of the staff inventory (inventory.ts `inventoryView`). */
export const InventoryClass = Type.Object({
  ...RetentionRow.properties,
  kind: Type.Union([Type.Literal('personal'), Type.Literal('operational')]),
  storage: Type.Array(Type.Object({ table: Type.String(), columns: Type.Array(Type.String()) })),
  configuredBy: Type.Array(Type.String()),
  purge: Type.Array(
    Type.Object({
      action: PurgeAction,
      table: Type.String(),
      columns: Type.Optional(Type.Array(Type.String(), { description: 'The columns a `clear` empties' })),
      olderThan: Type.String(),
      days: Type.Integer(),
      onlyWhere: Type.Optional(
        Type.Object(
          { column: Type.String(), values: Type.Array(Type.String()) },
          { description: 'A `delete` only of rows whose column holds one of these values' },
        ),
      ),
    }),
  ),
});

/** One step of a purge run (purge.ts `PurgeOutcome`). */
export const PurgeOutcome = Type.Object({
  classId: Type.String(),
  table: Type.String(),
  action: PurgeAction,
  days: Type.Integer(),
  affected: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Rows deleted or cleared; null when skipped',
  }),
  skipped: Type.Optional(Type.Union([Type.Literal('table missing'), Type.Literal('column missing')])),
});

export const Inventory = Type.Object({
  classes: Type.Array(InventoryClass),
  lastPurge: Type.Union([
    Type.Object({ ranAt: Type.String(), results: Type.Array(PurgeOutcome) }),
    Type.Null(),
  ]),
});

export type Consents = Static<typeof Consents>;
export type ExportState = Static<typeof ExportState>;
