/**
 * Key logging: the canaries typed by canaries.ts (never submitted) found anywhere the page sent
 * data — request URLs, POST bodies, beacons, WebSocket frames — plain, URL-encoded, inside base64,
 * or as MD5/SHA-1/SHA-256/SHA-512 hex of the raw and the normalised value. Normalised as Meta's
 * advanced matching does: e-mail trimmed and lower-cased, phone digits only with the country code,
 * names lower-cased (reference privacy-scan.md §5, [F4]).
 */
import { createHash } from 'node:crypto';
import type { Classifier } from '../classify.ts';
import { CANARIES, CANARY_NAME_PARTS } from '../canaries.ts';
import type { CanaryEncoding, CanaryField, KeyLoggingEvidence, RawVisit } from '../types.ts';
import { excerpt, type ScriptResolver } from './scripts.ts';

interface Term {
  field: CanaryField;
  encoding: CanaryEncoding;
  normalised: boolean;
  /** Lower-case text to look for. */
  needle: string;
}

const HASHES = ['md5', 'sha1', 'sha256', 'sha512'] as const;
const MAX_HAYSTACK = 256 * 1024;
const MAX_BASE64_TOKENS = 200;
const MAX_FINDINGS = 100;
const CONTEXT = 60;

/** Every value a canary may leave the page as, with whether it is the normalised form. */
function canaryValues(): { field: CanaryField; value: string; normalised: boolean }[] {
  const digits = CANARIES.phone.replace(/\D/g, '');
  return [
    { field: 'email', value: CANARIES.email, normalised: false },
    { field: 'email', value: CANARIES.email.trim().toLowerCase(), normalised: true },
    { field: 'phone', value: CANARIES.phone, normalised: false },
    { field: 'phone', value: `+${digits}`, normalised: false },
    { field: 'phone', value: digits, normalised: true },
    { field: 'password', value: CANARIES.password, normalised: false },
    ...[CANARIES.name, CANARY_NAME_PARTS.given, CANARY_NAME_PARTS.family].flatMap((value) => [
      { field: 'name' as const, value, normalised: false },
      { field: 'name' as const, value: value.toLowerCase(), normalised: true },
    ]),
  ];
}

function buildTerms(): { text: Term[]; hashes: Term[] } {
  const values = canaryValues();
  const text = new Map<string, Term>();
  const hashes = new Map<string, Term>();
  for (const { field, value, normalised } of values) {
    const needle = value.toLowerCase();
    // The text search ignores case, so the raw and the lower-cased form are one term.
    if (!text.has(needle)) text.set(needle, { field, encoding: 'plain', normalised: false, needle });
    for (const algorithm of HASHES) {
      const hex = createHash(algorithm).update(value, 'utf8').digest('hex');
      if (!hashes.has(hex)) hashes.set(hex, { field, encoding: algorithm, normalised, needle: hex });
    }
  }
  return { text: [...text.values()], hashes: [...hashes.values()] };
}

const TERMS = buildTerms();

interface Hit {
  term: Term;
  encoding: CanaryEncoding;
  evidence: string;
}

const around = (text: string, index: number, length: number) =>
  excerpt(text.slice(Math.max(0, index - CONTEXT), index + length + CONTEXT));

/**
 * Percent-decoding as a server would, twice at most (double-encoded parameters), never throwing.
 * Only the first round reads `+` as a space: a `+` that %2B decoded to is a plus.
 */
function urlDecoded(text: string): string {
  let current = text;
  for (let round = 0; round < 2; round++) {
    const spaced = round === 0 ? current.replace(/\+/g, ' ') : current;
    const next = spaced.replace(/(%[0-9a-f]{2})+/gi, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
    if (next === current) break;
    current = next;
  }
  return current;
}

function base64Decodings(texts: string[]): { token: string; decoded: string }[] {
  const out: { token: string; decoded: string }[] = [];
  for (const text of texts) {
    for (const match of text.matchAll(/[A-Za-z0-9+/_-]{16,}={0,2}/g)) {
      if (out.length >= MAX_BASE64_TOKENS) return out;
      const token = match[0];
      out.push({ token, decoded: Buffer.from(token, 'base64').toString('utf8').toLowerCase() });
    }
  }
  return out;
}

/** Every canary term found in one piece of sent data, the plainest encoding first. */
export function findCanaries(data: string): Hit[] {
  const haystack = data.length > MAX_HAYSTACK ? data.slice(0, MAX_HAYSTACK) : data;
  const lower = haystack.toLowerCase();
  const decoded = urlDecoded(haystack);
  const decodedLower = decoded.toLowerCase();
  let base64: ReturnType<typeof base64Decodings> | undefined;
  const hits: Hit[] = [];
  for (const term of TERMS.text) {
    let index = lower.indexOf(term.needle);
    if (index >= 0) {
      hits.push({ term, encoding: 'plain', evidence: around(haystack, index, term.needle.length) });
      continue;
    }
    index = decodedLower.indexOf(term.needle);
    if (index >= 0) {
      hits.push({ term, encoding: 'url', evidence: around(decoded, index, term.needle.length) });
      continue;
    }
    base64 ??= base64Decodings(decoded === haystack ? [haystack] : [haystack, decoded]);
    const inside = base64.find((b) => b.decoded.includes(term.needle));
    if (inside) {
      const at = inside.decoded.indexOf(term.needle);
      hits.push({
        term,
        encoding: 'base64',
        evidence: excerpt(
          `${inside.token.slice(0, 60)} decodes to …${inside.decoded.slice(Math.max(0, at - 30), at + term.needle.length + 30)}…`,
        ),
      });
    }
  }
  for (const term of TERMS.hashes) {
    const index = lower.indexOf(term.needle);
    if (index >= 0)
      hits.push({ term, encoding: term.encoding, evidence: around(haystack, index, term.needle.length) });
  }
  return hits;
}

export function detectKeyLogging(
  visit: RawVisit,
  classifier: Classifier,
  pageUrl: string,
  resolve: ScriptResolver,
): KeyLoggingEvidence[] {
  if (!visit.canariesTyped) return [];
  const found: KeyLoggingEvidence[] = [];
  const seen = new Set<string>();
  const report = (
    data: string | undefined,
    where: KeyLoggingEvidence['where'],
    requestUrl: string,
    initiator: string | undefined,
  ) => {
    if (!data) return;
    for (const hit of findCanaries(data)) {
      const key = [requestUrl, where, hit.term.field, hit.encoding, hit.term.normalised].join('\u0000');
      if (seen.has(key) || found.length >= MAX_FINDINGS) continue;
      seen.add(key);
      found.push({
        field: hit.term.field,
        encoding: hit.encoding,
        normalised: hit.term.normalised,
        where,
        requestUrl: excerpt(requestUrl, 500),
        ...(initiator ? { initiator, initiatorParty: resolve(initiator).party } : {}),
        party: classifier.classify(requestUrl, { pageUrl }).party,
        evidence: hit.evidence,
      });
    }
  };
  for (const request of visit.requests) {
    const beacon = request.type === 'ping';
    report(request.url, beacon ? 'beacon' : 'url', request.url, request.initiator);
    report(request.postData, beacon ? 'beacon' : 'body', request.url, request.initiator);
  }
  for (const frame of visit.websocketFrames) report(frame.payload, 'websocket', frame.url, frame.initiator);
  return found;
}
