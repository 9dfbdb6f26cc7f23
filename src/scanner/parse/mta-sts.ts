/**
 * MTA-STS (RFC 8461): the `_mta-sts` TXT record (§3.1: `v=STSv1; id=<1-32 alphanumerics>`) and
 * the policy file (§3.2: `key: value` lines — version, mode, mx (repeatable), max_age).
 */
import { parseTagList } from './tag-value.ts';

export interface MtaStsPolicy {
  version?: string;
  mode?: string;
  mx: string[];
  maxAge?: number;
  errors: string[];
}

/** Largest max_age allowed (§3.2: up to 31557600 seconds, one year). */
export const MTA_STS_MAX_AGE = 31_557_600;

export function mtaStsRecordErrors(record: string): string[] {
  const { tags, errors } = parseTagList(record);
  if (tags.get('v') !== 'STSv1') errors.push('v is not STSv1');
  const id = tags.get('id');
  if (id === undefined) errors.push('no id');
  else if (!/^[A-Za-z0-9]{1,32}$/.test(id)) errors.push('id is not 1–32 letters or digits');
  return errors;
}

export function parseMtaStsPolicy(body: string): MtaStsPolicy {
  const out: MtaStsPolicy = { mx: [], errors: [] };
  const lines = body.split(/\r?\n/).slice(0, 1000);
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) {
      out.errors.push(`not a key: value line: ${line.slice(0, 40)}`);
      continue;
    }
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key === 'version') out.version = value;
    else if (key === 'mode') out.mode = value;
    else if (key === 'mx') out.mx.push(value);
    else if (key === 'max_age') out.maxAge = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  }
  if (out.version !== 'STSv1') out.errors.push('version is not STSv1');
  if (!['enforce', 'testing', 'none'].includes(out.mode ?? ''))
    out.errors.push('mode is not enforce, testing or none');
  if (out.maxAge === undefined || Number.isNaN(out.maxAge) || out.maxAge > MTA_STS_MAX_AGE)
    out.errors.push(`max_age is missing or not 0–${MTA_STS_MAX_AGE}`);
  if (out.mode !== 'none' && out.mx.length === 0) out.errors.push('no mx line');
  return out;
}
