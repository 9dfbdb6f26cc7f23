/** Small shared helpers for checks (not a check: the registry test skips this file). */
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

/** Every response of the page chain, each once (cookies may be set on redirect hops too). */
export function pageResponses(a: Artefacts): ResponseArtefact[] {
  const list = [...a.page.hops];
  const final = a.page.final;
  if (final && !list.includes(final)) list.push(final);
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
