import { Type } from '@sinclair/typebox';

export const Health = Type.Object({ status: Type.Literal('ok') });

const ComponentStatus = Type.Union([Type.Literal('ok'), Type.Literal('failed')]);
export const Components = Type.Object({ database: ComponentStatus, queue: ComponentStatus });

export const Ready = Type.Object({ status: Type.Literal('ready'), components: Components });

export const Version = Type.Object({
  name: Type.Literal('vioscan'),
  version: Type.String(),
  engine: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
  schemaVersion: Type.String({ description: 'Latest database migration this build knows' }),
});

export const OpenApiDocument = Type.Object({ openapi: Type.String() }, { additionalProperties: true });

/** A CycloneDX document (https://cyclonedx.org/docs/1.5/json/); passed through as npm wrote it. */
export const Sbom = Type.Object(
  {
    bomFormat: Type.Literal('CycloneDX'),
    specVersion: Type.String(),
    components: Type.Array(Type.Object({}, { additionalProperties: true })),
  },
  { additionalProperties: true },
);
