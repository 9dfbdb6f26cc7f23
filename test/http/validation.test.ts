import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeObjects } from '../../src/http/plugins/validation.ts';
import { createTestApp, type TestApp } from './app-helpers.ts';

describe('closeObjects', () => {
  it('closes every object with properties, nested ones included, and leaves explicit choices alone', () => {
    const schema = Type.Object({
      site: Type.Object({ url: Type.String() }),
      tags: Type.Array(Type.Object({ name: Type.String() })),
      meta: Type.Object({ a: Type.String() }, { additionalProperties: true }),
    });
    type Node = { additionalProperties?: boolean; properties: Record<string, Node>; items: Node };
    const closed = closeObjects(schema) as Node;
    expect(closed.additionalProperties).toBe(false);
    expect(closed.properties.site!.additionalProperties).toBe(false);
    expect(closed.properties.tags!.items.additionalProperties).toBe(false);
    expect(closed.properties.meta!.additionalProperties).toBe(true);
    // The route's own schema object is not mutated (TypeBox schemas are shared between routes).
    expect((schema as Record<string, unknown>).additionalProperties).toBeUndefined();
  });
});

// Registration rules need no database round trip, but buildApp needs a database.
describe('route rules', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(() => t.close());

  it('refuses a route without a schema', async () => {
    expect(() => t.app.get('/test/no-schema', async () => ({}))).toThrow(
      'Route GET /test/no-schema has no schema',
    );
  });

  it('refuses a POST route without a body schema', async () => {
    expect(() => t.app.post('/test/no-body', { schema: {} }, async () => ({}))).toThrow(
      'Route POST /test/no-body accepts a body but declares no body schema',
    );
  });
});
