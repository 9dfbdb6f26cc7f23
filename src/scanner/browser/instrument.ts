/**
 * The instrumentation init script (instrument.page.js): runs before any page script in every frame
 * and reports calls of fingerprinting-relevant APIs, input listeners, storage and cookie writes and
 * DOM serialisation through the `__vioscanRecord` binding, one InstrumentRecord per call (capped).
 *
 * Recording side (visit.ts): expose RECORD_BINDING on the context before adding INSTRUMENT_SCRIPT as
 * an init script, and pass every payload through parseRecord — the page can call the binding's
 * underlying channel itself, so payloads are untrusted until validated.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ALL_INPUT_EVENTS } from './input-events.ts';
import type { InstrumentRecord } from './types.ts';

export const RECORD_BINDING = '__vioscanRecord';

/**
 * Stack frames of the instrument carry this source URL, so attribution skips them; random per
 * process so that a page cannot name its own script after it to hide its frames.
 */
const SOURCE_MARKER = `vioscan-instrument-${randomBytes(6).toString('hex')}.js`;

const PAGE_SOURCE = readFileSync(new URL('./instrument.page.js', import.meta.url), 'utf8')
  .trim()
  .replace(/;$/, '');

export const INSTRUMENT_SCRIPT = `${PAGE_SOURCE}(${JSON.stringify(RECORD_BINDING)}, ${JSON.stringify(SOURCE_MARKER)}, ${JSON.stringify(ALL_INPUT_EVENTS)});
//# sourceURL=${SOURCE_MARKER}
`;

const API = /^[A-Za-z0-9]{1,40}\.[A-Za-z0-9]{1,40}$/;
const DETAIL_KEYS_MAX = 16;
const DETAIL_STRING_MAX = 600;

const cappedString = (value: unknown, max: number): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value.slice(0, max) : undefined;

/**
 * Validates one payload of the binding (an object, or its JSON text when the binding is CDP's
 * Runtime.addBinding) and rebases its time: the page reports epoch milliseconds, the record holds
 * milliseconds after the visit started. Anything malformed is dropped (undefined).
 */
export function parseRecord(payload: unknown, visitStartedAtMs: number): InstrumentRecord | undefined {
  let value = payload;
  if (typeof value === 'string') {
    if (value.length > 16_384) return undefined;
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const raw = value as Record<string, unknown>;
  if (typeof raw.api !== 'string' || !API.test(raw.api)) return undefined;
  if (typeof raw.atMs !== 'number' || !Number.isFinite(raw.atMs)) return undefined;
  if (!raw.detail || typeof raw.detail !== 'object' || Array.isArray(raw.detail)) return undefined;
  const detail: InstrumentRecord['detail'] = {};
  for (const [key, item] of Object.entries(raw.detail).slice(0, DETAIL_KEYS_MAX)) {
    if (!/^[A-Za-z]{1,20}$/.test(key)) continue;
    if (typeof item === 'string') detail[key] = item.slice(0, DETAIL_STRING_MAX);
    else if (typeof item === 'number' && Number.isFinite(item)) detail[key] = item;
    else if (typeof item === 'boolean') detail[key] = item;
  }
  const record: InstrumentRecord = {
    api: raw.api,
    detail,
    atMs: Math.max(0, Math.round(raw.atMs - visitStartedAtMs)),
  };
  const script = cappedString(raw.script, 500);
  const frame = cappedString(raw.frame, 520);
  if (script) record.script = script;
  if (frame) record.frame = frame;
  return record;
}

function hostMatchesCookieDomain(origin: string, cookieDomain: string): boolean {
  let host: string;
  try {
    host = new URL(origin).hostname.toLowerCase();
  } catch {
    return false;
  }
  const domain = cookieDomain.replace(/^\./, '').toLowerCase();
  return host === domain || host.endsWith(`.${domain}`);
}

/**
 * Which script wrote a cookie through document.cookie (the last write of that name whose frame
 * could have set that domain), for BrowserCookie.setBy `{ via: 'js', url }`. Undefined when no
 * script wrote it: then it came from a Set-Cookie response.
 */
export function cookieWriter(
  records: readonly InstrumentRecord[],
  cookie: { name: string; domain: string },
): { script?: string; frame?: string } | undefined {
  for (let i = records.length - 1; i >= 0; i--) {
    const record = records[i]!;
    if (record.api !== 'Document.cookie' || record.detail.name !== cookie.name) continue;
    const origin = typeof record.detail.origin === 'string' ? record.detail.origin : '';
    if (origin && !hostMatchesCookieDomain(origin, cookie.domain)) continue;
    return { script: record.script, frame: record.frame };
  }
  return undefined;
}
