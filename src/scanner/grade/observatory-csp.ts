/**
 * Observatory's content-security-policy test (algorithm version 4), rebuilt from its published
 * rules: how it parses and combines policies, the order in which it looks for problems, and what
 * the x-frame-options test borrows from it. Deliberate differences are marked and listed in
 * docs/scoring.md.
 */
import { finalResponse } from '../checks/helpers.ts';
import type { Artefacts } from '../types.ts';
import { clientHeader, metaPolicies, startedOverHttps } from './observatory-view.ts';

/** Sources that allow (nearly) any host. */
export const BROAD = new Set([
  'ftp:',
  'http:',
  'https:',
  '*',
  'http://*',
  'http://*.*',
  'https://*',
  'https://*.*',
]);
const BROAD_OR_INLINE = new Set([...BROAD, "'unsafe-inline'", 'data:']);
const PASSIVE = ['img-src', 'media-src'];
const NONCE_OR_HASH = ["'sha256-", "'sha384-", "'sha512-", "'nonce-"];
/** Observatory rejects a policy shorter than its shortest useful directive ("img-src", less one). */
const SHORTEST_POLICY = 6;
/** Repeating these in one policy is only a warning; repeating any other directive makes it invalid. */
const REPEATABLE = new Set(['report-uri', 'report-to']);
/** HTML §4.2.5.3: a `<meta>` policy cannot set these. */
const NOT_IN_META = ['frame-ancestors', 'report-uri', 'sandbox'];

export interface ParsedPolicies {
  directives: Map<string, Set<string>>;
  /** Repeatable directives that were repeated. */
  repeated: Set<string>;
}

class InvalidPolicy extends Error {}

const collate = new Intl.Collator('en').compare;

/** Do two sources match path segment by segment (a trailing "/" on `a` matches anything below it)? */
function pathPartMatch(a: string, b: string): boolean {
  if (a.length === 0) return true;
  if (a === '/' && b.length === 0) return true;
  const exact = !a.endsWith('/');
  const partsA = a.split('/');
  const partsB = b.split('/');
  if (partsA.length > partsB.length || (exact && partsA.length !== partsB.length)) return false;
  if (!exact) partsA.pop();
  return partsA.every((part, i) => decodeURIComponent(part) === decodeURIComponent(partsB[i]!));
}

/**
 * Several policies into one map of directive → sources, as Observatory combines them: the first
 * policy's sources (minus any that a shorter source of the same policy already covers), then, for
 * each later policy, only sources present in both. A directive that only a later policy sets ends
 * up `'none'` — stricter than a browser, which would fall back to the earlier policy's default-src.
 * Throws InvalidPolicy on a policy too short to mean anything or a repeated (non-report) directive.
 */
export function combinePolicies(policies: readonly string[]): ParsedPolicies {
  interface Source {
    source: string;
    policy: number;
    keep: boolean;
  }
  const lists = new Map<string, Source[]>();
  const repeated = new Set<string>();
  const cleaned = policies.map((p) => p.replace(/[\r\n]/g, '').trim());
  if (cleaned.some((p) => p.length < SHORTEST_POLICY)) throw new InvalidPolicy('policy too short');
  cleaned.forEach((policy, index) => {
    const seen = new Set<string>();
    for (const entry of policy.split(';')) {
      const [first, ...rest] = entry.trim().split(/\s+/);
      if (!first) continue;
      const name = first.toLowerCase();
      if (seen.has(name)) {
        if (!REPEATABLE.has(name)) throw new InvalidPolicy(`directive ${name} repeated`);
        repeated.add(name);
      }
      seen.add(name);
      const keep = index === 0;
      const values: Source[] = rest.map((raw) => ({ source: raw.toLocaleLowerCase(), policy: index, keep }));
      // A source list with no sources at all allows nothing.
      if (values.length === 0 && name.endsWith('-src'))
        values.push({ source: "'none'", policy: index, keep });
      const combined = index === 0 ? values : [...(lists.get(name) ?? []), ...values];
      combined.sort((x, y) => collate(x.source, y.source));
      for (let i = 1; i < combined.length; i++) {
        const prev = combined[i - 1]!;
        const cur = combined[i]!;
        if (cur.policy === prev.policy && cur.source.startsWith(prev.source)) cur.keep = false;
        if (cur.policy !== prev.policy && pathPartMatch(prev.source, cur.source)) cur.keep = true;
      }
      const kept = combined.filter((s) => s.keep);
      lists.set(name, kept);
      // From the second policy on, a source survives only when a later policy allows it too.
      if (index === 0 && policies.length > 1) for (const s of kept) s.keep = false;
    }
  });
  const directives = new Map(
    [...lists].map(([name, sources]) => [
      name,
      new Set(sources.length ? sources.map((s) => s.source) : ["'none'"]),
    ]),
  );
  return { directives, repeated };
}

const EMPTY: ParsedPolicies = { directives: new Map(), repeated: new Set() };

function tryCombine(policies: readonly string[]): ParsedPolicies {
  try {
    return combinePolicies(policies);
  } catch {
    return { directives: new Map(), repeated: new Set() };
  }
}

export interface CspAnalysis {
  result: string;
  /** frame-ancestors of the header policies, when the test got as far as reading the policy. */
  headerFrameAncestors?: Set<string>;
}

export function analyseCsp(a: Artefacts): CspAnalysis {
  const headers = finalResponse(a)?.headers;
  if (!headers) return { result: 'csp-not-implemented' };
  const header = clientHeader(headers, 'content-security-policy');
  const fromHeader = header === undefined ? [] : [header];
  const fromMeta = metaPolicies(a);
  let csp: ParsedPolicies;
  try {
    csp = combinePolicies([...fromHeader, ...fromMeta]);
  } catch {
    return { result: 'csp-header-invalid' };
  }
  const headerOnly = fromHeader.length ? tryCombine(fromHeader) : EMPTY;
  const metaOnly = tryCombine(fromMeta);
  for (const name of NOT_IN_META) metaOnly.directives.delete(name);
  if (headerOnly.directives.size + metaOnly.directives.size === 0) {
    // Report-Only is a header-only feature.
    return {
      result: clientHeader(headers, 'content-security-policy-report-only')
        ? 'csp-not-implemented-but-reporting-enabled'
        : 'csp-not-implemented',
    };
  }
  const d = csp.directives;
  const effective = (name: string) => d.get(name) ?? d.get('default-src') ?? new Set(['*']);
  // These are the combined map's own sets (default-src's when the directive is absent): the
  // removals below change what later steps read, as in Observatory.
  const object = effective('object-src');
  const script = effective('script-src');
  const style = effective('style-src');
  const hasNonceOrHash = (list: Set<string>) =>
    [...list].some((s) => NONCE_OR_HASH.some((prefix) => s.startsWith(prefix)));
  // CSP3 §8.2: 'unsafe-inline' is ignored next to a nonce or hash.
  for (const list of [script, style]) if (hasNonceOrHash(list)) list.delete("'unsafe-inline'");
  let result: string | undefined;
  const found = (r: string) => (result ??= r);
  if (script.has("'strict-dynamic'")) {
    if (hasNonceOrHash(script)) {
      // CSP3 §8.3: with 'strict-dynamic', host and scheme sources, 'self' and 'unsafe-inline' are ignored.
      for (const s of [...script]) {
        if ([...BROAD].some((b) => s.startsWith(b)) || s === "'self'" || s === "'unsafe-inline'")
          script.delete(s);
      }
    } else {
      found('csp-header-invalid');
    }
  }
  const active = [...d]
    .filter(([name]) => !PASSIVE.includes(name) && name !== 'script-src')
    .flatMap(([, sources]) => [...sources])
    .concat([...script]);
  const passive = PASSIVE.flatMap((name) => [...(d.get(name) ?? d.get('default-src') ?? [])]);
  const insecure = (s: string) => s.startsWith('http:') || s.startsWith('ftp:');
  const https = startedOverHttps(a);

  if ([...script].some((s) => BROAD_OR_INLINE.has(s)) || [...object].some((s) => BROAD.has(s)))
    found('csp-implemented-with-unsafe-inline');
  if (https && active.some(insecure)) found('csp-implemented-with-insecure-scheme');
  if (script.has("'unsafe-eval'") || style.has("'unsafe-eval'")) found('csp-implemented-with-unsafe-eval');
  if (https && passive.some(insecure)) found('csp-implemented-with-insecure-scheme-in-passive-content-only');
  if ([...style].some((s) => BROAD_OR_INLINE.has(s)))
    found('csp-implemented-with-unsafe-inline-in-style-src-only');
  const defaultSrc = d.get('default-src');
  found(
    defaultSrc?.has("'none'") && defaultSrc.size === 1
      ? 'csp-implemented-with-no-unsafe-default-src-none'
      : 'csp-implemented-with-no-unsafe',
  );
  const passing = [
    'csp-implemented-with-no-unsafe',
    'csp-implemented-with-no-unsafe-default-src-none',
    'csp-implemented-with-unsafe-inline-in-style-src-only',
    'csp-implemented-with-insecure-scheme-in-passive-content-only',
  ];
  if (passing.includes(result!) && csp.repeated.size > 0) result = 'csp-implemented-but-duplicate-directives';
  // Deliberate difference (docs/scoring.md): only a header policy can set frame-ancestors
  // (CSP3 §6.4.2); Observatory's x-frame-options test also credits one from a <meta> policy.
  const ancestors = headerOnly.directives.get('frame-ancestors');
  return { result: result!, ...(ancestors && { headerFrameAncestors: ancestors }) };
}

export function classifyCsp(a: Artefacts): string {
  return analyseCsp(a).result;
}
