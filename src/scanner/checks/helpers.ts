/** Small shared helpers for checks (not a check: the registry test skips this file). */
import type { VisitArtefact, VisitKind } from '../browser/types.ts';
import { findVisit, hostOf, isPartial, type Responsible, VISIT_LABEL } from '../privacy/facts.ts';
import type {
  Artefacts,
  CheckRunResult,
  CheckStatus,
  FetchChain,
  FindingDraft,
  Headers,
  ResponseArtefact,
} from '../types.ts';

/** All values of a header (names are lower-case in artefacts). */
export function headerValues(headers: Headers | undefined, name: string): string[] {
  return headers?.[name.toLowerCase()] ?? [];
}

/** The single value of a header; several values are joined as a UA would see them (RFC 9110 §5.3). */
export function headerValue(headers: Headers | undefined, name: string): string | undefined {
  const values = headerValues(headers, name);
  return values.length === 0 ? undefined : values.join(', ');
}

export function chainFinal(chain: FetchChain): ResponseArtefact | undefined {
  return chain.final ?? chain.hops[chain.hops.length - 1];
}

export function finalResponse(a: Artefacts): ResponseArtefact | undefined {
  return chainFinal(a.page);
}

/**
 * Every response of the page chain, each once (cookies may be set on redirect hops too). `final` is
 * the last hop: the same object in a live scan, an equal copy in artefacts loaded from JSON (replay).
 */
export function pageResponses(a: Artefacts): ResponseArtefact[] {
  const list = [...a.page.hops];
  const final = a.page.final;
  const last = list[list.length - 1];
  const sameAsLast = last !== undefined && (last === final || JSON.stringify(last) === JSON.stringify(final));
  if (final && !sameAsLast) list.push(final);
  return list;
}

export function parseUrl(url: string, base?: string): URL | undefined {
  try {
    return new URL(url, base);
  } catch {
    return undefined;
  }
}

export function isHttpsUrl(url: string | undefined): boolean {
  return url !== undefined && parseUrl(url)?.protocol === 'https:';
}

/** Quote hostile text for evidence: JSON string form keeps it on one line and visibly bounded. */
export function quote(value: string, max = 200): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(cut);
}

export function finding(outcome: string, title: string, evidence: string): FindingDraft {
  return { outcome, title, evidence };
}

export function result(
  outcome: string,
  status: CheckStatus,
  evidence: string,
  findings: FindingDraft[] = [],
): CheckRunResult {
  return { outcome, status, evidence, findings };
}

/**
 * Combine several problems into one result: the outcome is the first problem in `order`
 * (checks list their outcomes worst first), every problem stays a finding.
 */
export function worst(
  findings: FindingDraft[],
  order: string[],
  status: (outcome: string) => CheckStatus,
): CheckRunResult | undefined {
  if (findings.length === 0) return undefined;
  const rank = (o: string) => {
    const i = order.indexOf(o);
    return i === -1 ? order.length : i;
  };
  const top = [...findings].sort((x, y) => rank(x.outcome) - rank(y.outcome))[0];
  if (!top) return undefined;
  const evidence = findings.map((f) => f.evidence).join('; ');
  return result(top.outcome, status(top.outcome), evidence, findings);
}

/**
 * Read a header whose value is one Structured Field token with optional parameters
 * (RFC 8941 §3.3.4), as COOP/COEP/CORP are. Several header lines make it invalid.
 */
export function structuredToken(
  headers: Headers | undefined,
  name: string,
): { kind: 'missing' } | { kind: 'invalid'; raw: string } | { kind: 'token'; token: string; raw: string } {
  const values = headerValues(headers, name);
  if (values.length === 0) return { kind: 'missing' };
  const raw = values.join(', ');
  const token = values.length === 1 ? (values[0] ?? '').split(';')[0]?.trim() : undefined;
  if (!token || !/^[A-Za-z*][A-Za-z0-9:/!#$%&'*+\-.^_`|~]*$/.test(token)) return { kind: 'invalid', raw };
  return { kind: 'token', token, raw };
}

/** Every Set-Cookie line of the page chain with the URL that set it. */
export function setCookieLines(a: Artefacts): { line: string; url: string }[] {
  return pageResponses(a).flatMap((r) =>
    headerValues(r.headers, 'set-cookie').map((line) => ({ line, url: r.url })),
  );
}

/** Whether the domain receives mail: MX records other than the null MX `0 .` (RFC 7505). */
export function receivesMail(a: Artefacts): boolean {
  return (a.dns?.mx.records ?? []).some((r) => !/^\d+\s+\.$/.test(r.trim()));
}

/**
 * The browser visit a check judges, or the result that says why it cannot: the stage did not run,
 * or this visit was not part of it (`--browser-visits`), → `<id>-not-observed` (skipped).
 */
export function browserVisit(a: Artefacts, kind: VisitKind, id: string): VisitArtefact | CheckRunResult {
  const visit = a.browser && findVisit(a.browser, kind);
  if (visit) return visit;
  return result(`${id}-not-observed`, 'skipped', `the browser visit ${VISIT_LABEL[kind]} was not made`);
}

/** Every recorded visit, or `<id>-not-observed` when there is none. */
export function browserVisits(a: Artefacts, id: string): VisitArtefact[] | CheckRunResult {
  const visits = a.browser?.visits ?? [];
  if (visits.length > 0) return visits;
  return result(`${id}-not-observed`, 'skipped', 'no browser visit was made');
}

/**
 * Nothing found: a pass, unless a visit did not complete — then `<id>-incomplete` (error), since what
 * it did not record may have been the problem.
 */
export function passUnlessPartial(
  id: string,
  visits: readonly VisitArtefact[],
  passOutcome: string,
  evidence: string,
): CheckRunResult {
  const partial = visits.filter(isPartial);
  if (partial.length === 0) return result(passOutcome, 'pass', evidence);
  const why = partial
    .map((v) => `the visit ${VISIT_LABEL[v.kind]} did not complete (${v.error?.code}): ${v.error?.message}`)
    .join('; ');
  return result(`${id}-incomplete`, 'error', `${why}; nothing found in what was recorded`);
}

/**
 * The concrete fix for a privacy finding: the script (host named) or tag to remove or gate behind
 * consent; when nothing responsible was recorded, whatever loads content from the tracker's domain.
 */
export function gateRemediation(who: Responsible | undefined, domain: string, what: string): string {
  const target = !who
    ? `whatever loads content from ${domain}`
    : who.kind === 'script'
      ? `the script ${quote(who.url)} (from ${hostOf(who.url)})`
      : `the element loading ${quote(who.url)} from the page's HTML`;
  return `Remove ${target}, or load it only after the visitor consents through your consent banner, so that it cannot ${what}.`;
}
