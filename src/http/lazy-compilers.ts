import { AjvCompiler } from '@fastify/ajv-compiler';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';
import { unsafeInput } from './unsafe-input.ts';

type Validator = ((data: unknown) => unknown) & { errors?: unknown };
type Serializer = (data: unknown) => string;
type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;
type RouteSchema = { schema: unknown; httpPart?: string } & Record<string, unknown>;

/** Header names are case-insensitive (RFC 9110 §5.1); Fastify lowers them before validating. */
function lowerCaseHeaders(schema: unknown): unknown {
  if (!schema || typeof schema !== 'object') return schema;
  const node = schema as { properties?: Record<string, unknown>; required?: string[] };
  return {
    ...node,
    ...(node.properties
      ? {
          properties: Object.fromEntries(
            Object.entries(node.properties).map(([k, v]) => [k.toLowerCase(), v]),
          ),
        }
      : {}),
    ...(node.required ? { required: node.required.map((k) => k.toLowerCase()) } : {}),
  };
}

/**
 * Fastify's own compilers (Ajv for input, fast-json-stringify for responses), but each route's
 * function is compiled on its first request instead of at start: compiling every route's schemas
 * was about a second of a cold start (bench/start.ts), most of it for routes a process never
 * serves. Validation is unchanged; only its first use pays for the compilation. A value the schema
 * accepts but the database cannot store (unsafe-input.ts) fails validation here, for every route.
 */
export function lazyCompilers(): CompilersFactory {
  const buildValidator = AjvCompiler();
  const buildSerializer = SerializerSelector();
  return {
    buildValidator: (external: unknown, options: unknown) => {
      const compile = (buildValidator as (e: unknown, o: unknown) => (route: RouteSchema) => Validator)(
        external,
        options,
      );
      return (route: RouteSchema) => {
        // A custom compiler gets header schemas as written; Fastify's default lowers them first.
        const input =
          route.httpPart === 'headers' ? { ...route, schema: lowerCaseHeaders(route.schema) } : route;
        let validate: Validator | undefined;
        const lazy: Validator = (data) => {
          validate ??= compile(input);
          const result = validate(data);
          lazy.errors = validate.errors;
          if (!result || route.httpPart === 'headers') return result;
          // The one place NUL and non-finite numbers are refused (unsafe-input.ts), route by route.
          const unsafe = unsafeInput(data);
          if (unsafe.length === 0) return result;
          lazy.errors = unsafe;
          return false;
        };
        return lazy;
      };
    },
    buildSerializer: (external: unknown, options: unknown) => {
      const compile = (buildSerializer as (e: unknown, o: unknown) => (route: RouteSchema) => Serializer)(
        external,
        options,
      );
      return (route: RouteSchema) => {
        let serialize: Serializer | undefined;
        return (data: unknown) => (serialize ??= compile(route))(data);
      };
    },
  } as unknown as CompilersFactory;
}
