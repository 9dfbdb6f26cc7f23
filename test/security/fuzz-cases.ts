/**
 * Malformed requests for one OpenAPI operation (issue 17 item 8a): wrong types, huge and NUL
 * strings, deep JSON, non-finite numbers, wrong content types, oversized bodies, unknown fields.
 * Built from the served document, so a new operation is fuzzed the day it is added.
 */
export interface OpenApiParameter {
  name: string;
  required?: boolean;
  in: 'path' | 'query' | 'header' | 'cookie';
  schema?: JsonSchema;
}
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  format?: string;
  minLength?: number;
  minimum?: number;
}
export interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

export interface FuzzCase {
  name: string;
  url: string;
  payload?: string;
  contentType?: string;
}

const HUGE = 'x'.repeat(100_000);
const NUL = 'a\u0000b';

/** A plausible value of the schema's type, so one wrong field is the only thing wrong. */
export function sample(schema: JsonSchema | undefined): unknown {
  if (!schema) return 'x';
  if (schema.enum?.length) return schema.enum[0];
  if (schema.anyOf?.length) return sample(schema.anyOf[0]);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'object') {
    const out: Record<string, unknown> = {};
    for (const name of schema.required ?? []) out[name] = sample(schema.properties?.[name]);
    return out;
  }
  if (type === 'array') return [];
  if (type === 'integer' || type === 'number') return Math.max(1, schema.minimum ?? 1);
  if (type === 'boolean') return true;
  if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
  if (schema.format === 'email') return 'fuzz@example.com';
  if (schema.format === 'uri') return 'https://example.com/';
  return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
}

/** The operation's required query parameters with plausible values (`?a=1&b=x`), or ''. */
export function sampleQuery(op: OpenApiOperation): string {
  const required = (op.parameters ?? []).filter((p) => p.in === 'query' && p.required);
  return required.length
    ? `?${required.map((p) => `${p.name}=${encodeURIComponent(String(sample(p.schema)))}`).join('&')}`
    : '';
}

/** The same JSON text with a number no double can hold in the place of `"__INF__"`. */
function withInfinity(value: unknown): string {
  return JSON.stringify(value).replace('"__INF__"', '1e309');
}

function deepJson(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** `path` (with `{param}`s) filled with `value` for the param under test and `fill` elsewhere. */
function pathWith(path: string, fill: (name: string) => string, target?: string, value?: string): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) =>
    encodeURIComponent(name === target ? value! : fill(name)),
  );
}

export function fuzzCases(
  path: string,
  op: OpenApiOperation,
  fill: (name: string) => string,
  bodyLimit: number,
): FuzzCase[] {
  const cases: FuzzCase[] = [];
  const base = pathWith(path, fill);
  const params = op.parameters ?? [];
  for (const p of params.filter((x) => x.in === 'path')) {
    for (const [label, value] of [
      ['huge', HUGE.slice(0, 5_000)],
      ['NUL', NUL],
      ['traversal', '../../etc/passwd'],
      ['non-finite', '1e309'],
    ] as const)
      cases.push({ name: `path ${p.name} ${label}`, url: pathWith(path, fill, p.name, value) });
  }
  for (const p of params.filter((x) => x.in === 'query')) {
    for (const [label, value] of [
      ['huge', HUGE.slice(0, 5_000)],
      ['NUL', NUL],
      ['non-finite', '1e309'],
      ['negative', '-1'],
      ['object', '[object Object]'],
    ] as const)
      cases.push({ name: `query ${p.name} ${label}`, url: `${base}?${p.name}=${encodeURIComponent(value)}` });
    cases.push({ name: `query ${p.name} repeated`, url: `${base}?${p.name}=1&${p.name}=2` });
  }
  const schema = op.requestBody?.content?.['application/json']?.schema;
  if (!op.requestBody) return cases;
  const skeleton = (sample(schema) ?? {}) as Record<string, unknown>;
  const body = (name: string, payload: string, contentType = 'application/json') =>
    cases.push({ name: `body ${name}`, url: base, payload, contentType });
  body('array', '[]');
  body('string', '"x"');
  body('number', '1');
  body('null', 'null');
  body('deep JSON', deepJson(5_000));
  body('bare non-finite', '1e309');
  body('unknown field', JSON.stringify({ ...skeleton, fuzzUnknownField: true }));
  body('wrong content type', JSON.stringify(skeleton), 'text/xml');
  body('form content type', 'a=1', 'application/x-www-form-urlencoded');
  body('oversized', JSON.stringify({ ...skeleton, pad: 'x'.repeat(bodyLimit + 1) }));
  body('truncated', JSON.stringify(skeleton).slice(0, -1));
  for (const name of Object.keys(schema?.properties ?? {})) {
    for (const [label, value] of [
      ['wrong type', { nested: [1] }],
      ['huge', HUGE],
      ['NUL', NUL],
      ['non-finite', '__INF__'],
      ['null', null],
    ] as const)
      body(`${name} ${label}`, withInfinity({ ...skeleton, [name]: value }));
  }
  return cases;
}

/** Internal detail an answer must never carry: stack frames, source paths, database messages. */
export const INTERNAL_DETAIL =
  /\bat [\w.<>]+ \(|node_modules|\/src\/\w|\.ts:\d+|invalid input syntax|violates .* constraint|duplicate key|syntax error at|SQLSTATE|TypeError|ReferenceError|RangeError|Cannot read propert|ECONNREFUSED|PGlite|kysely/i;
