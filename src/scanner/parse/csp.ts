/**
 * Tolerant Content-Security-Policy parser (CSP Level 3 §2.2 "Parse a serialized CSP").
 * Never throws: anything it cannot understand is recorded in `errors`, never fatal.
 */

export interface CspDirective {
  /** Lower-cased directive name. */
  name: string;
  /** Source expressions as written (keywords keep their quotes: `'self'`). */
  values: string[];
}

export interface CspPolicy {
  /** The serialized policy as received, trimmed. */
  raw: string;
  /** First occurrence of each directive, in order; later duplicates are ignored by browsers (§2.2.1 step 2.4). */
  directives: CspDirective[];
  /** Names of directives that appeared more than once. */
  duplicates: string[];
  errors: string[];
}

const DIRECTIVE_NAME = /^[a-z0-9-]+$/;

/** Parse one serialized policy (a single `;`-separated list). */
export function parseCspPolicy(input: string): CspPolicy {
  const raw = typeof input === 'string' ? input.trim() : '';
  const policy: CspPolicy = { raw, directives: [], duplicates: [], errors: [] };
  for (const token of raw.split(';')) {
    const parts = token
      .trim()
      .split(/[\t\n\f\r ]+/)
      .filter(Boolean);
    const first = parts[0];
    if (first === undefined) continue;
    const name = first.toLowerCase();
    if (!DIRECTIVE_NAME.test(name)) {
      policy.errors.push(`invalid directive name ${JSON.stringify(first.slice(0, 40))}`);
      continue;
    }
    if (policy.directives.some((d) => d.name === name)) {
      if (!policy.duplicates.includes(name)) policy.duplicates.push(name);
      continue;
    }
    policy.directives.push({ name, values: parts.slice(1) });
  }
  if (raw !== '' && policy.directives.length === 0 && policy.errors.length === 0) {
    policy.errors.push('no directives');
  }
  return policy;
}

/**
 * Parse a header value, which may carry several policies separated by commas
 * (CSP3 §2.2.2 "Parse a response's Content Security Policies").
 */
export function parseCspHeader(value: string): CspPolicy[] {
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map(parseCspPolicy);
}

export function getDirective(policy: CspPolicy, name: string): CspDirective | undefined {
  return policy.directives.find((d) => d.name === name);
}

/** Fetch directives fall back to `default-src` (CSP3 §6.8.3 "Get the effective directive"). */
export function effectiveSources(policy: CspPolicy, name: string): string[] | undefined {
  return (getDirective(policy, name) ?? getDirective(policy, 'default-src'))?.values;
}

export function isNonceOrHash(source: string): boolean {
  return /^'(nonce-|sha256-|sha384-|sha512-)/i.test(source);
}

/** Serialise back to the canonical `name v1 v2; name2` form (used by round-trip tests and evidence). */
export function serializeCspPolicy(policy: CspPolicy): string {
  return policy.directives.map((d) => [d.name, ...d.values].join(' ')).join('; ');
}
