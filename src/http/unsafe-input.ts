/**
 * Values a schema lets through but the rest of the system cannot take: a NUL character
 * (PostgreSQL text refuses it: "invalid byte sequence") and a non-finite number (`1e309` parses
 * to Infinity, which Ajv counts as an integer and bigint columns refuse). Checked on every
 * validated request part, after Ajv's coercion, so each route gets it from its schema.
 */
export interface UnsafeIssue {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, never>;
  message: string;
}

const MAX_ISSUES = 10;

/** A value still to look at, with the way back to the root (paths are built only for an issue). */
interface Visit {
  value: unknown;
  key?: string | number;
  parent?: Visit;
}

function pointer(visit: Visit | undefined): string {
  const keys: (string | number)[] = [];
  for (let v = visit; v?.key !== undefined; v = v.parent) keys.push(v.key);
  return keys
    .reverse()
    .map((k) => `/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`)
    .join('');
}

function issue(at: Visit | undefined, keyword: string, message: string): UnsafeIssue {
  return { instancePath: pointer(at), schemaPath: '#', keyword, params: {}, message };
}

/** Every NUL-bearing string or key and every non-finite number in `data` (iterative: no depth limit). */
export function unsafeInput(data: unknown): UnsafeIssue[] {
  const issues: UnsafeIssue[] = [];
  const stack: Visit[] = [{ value: data }];
  while (stack.length > 0 && issues.length < MAX_ISSUES) {
    const visit = stack.pop()!;
    const { value } = visit;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) issues.push(issue(visit, 'nul', 'must not contain NUL characters'));
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) issues.push(issue(visit, 'finite', 'must be a finite number'));
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, key: i, parent: visit }));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (key.includes('\u0000'))
          issues.push(issue(visit, 'nul', 'property names must not contain NUL characters'));
        stack.push({ value: item, key, parent: visit });
      }
    }
  }
  return issues;
}
