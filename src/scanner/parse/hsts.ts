/**
 * Tolerant Strict-Transport-Security parser (RFC 6797 §6.1). Never throws.
 * `valid` is false when the header would be ignored by a UA: no/garbled max-age, or a
 * directive repeated (§6.1: "All directives MUST appear only once").
 */

export interface Hsts {
  valid: boolean;
  /** Seconds; undefined when missing or unparseable. */
  maxAge?: number;
  includeSubDomains: boolean;
  preload: boolean;
  errors: string[];
}

export function parseHsts(input: string): Hsts {
  const result: Hsts = { valid: false, includeSubDomains: false, preload: false, errors: [] };
  if (typeof input !== 'string') {
    result.errors.push('not a string');
    return result;
  }
  const seen = new Set<string>();
  for (const part of input.split(';')) {
    const token = part.trim();
    if (token === '') continue;
    const eq = token.indexOf('=');
    const name = (eq === -1 ? token : token.slice(0, eq)).trim().toLowerCase();
    let value = eq === -1 ? undefined : token.slice(eq + 1).trim();
    if (value !== undefined && value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
      value = value.slice(1, -1);
    }
    if (seen.has(name)) {
      result.errors.push(`directive ${name} repeated`);
      continue;
    }
    seen.add(name);
    if (name === 'max-age') {
      if (value !== undefined && /^\d{1,15}$/.test(value)) result.maxAge = Number(value);
      else result.errors.push('max-age is not a number of seconds');
    } else if (name === 'includesubdomains') {
      result.includeSubDomains = true;
    } else if (name === 'preload') {
      result.preload = true;
    }
    // Unknown directives are ignored, as RFC 6797 §6.1 requires of UAs.
  }
  if (!seen.has('max-age')) result.errors.push('max-age missing');
  result.valid = result.maxAge !== undefined && !result.errors.some((e) => e.includes('repeated'));
  return result;
}

/** One year, the minimum max-age the HSTS preload list accepts (hstspreload.org submission rules). */
export const PRELOAD_MIN_MAX_AGE = 31_536_000;

export function isPreloadReady(hsts: Hsts): boolean {
  return hsts.valid && hsts.includeSubDomains && hsts.preload && (hsts.maxAge ?? 0) >= PRELOAD_MIN_MAX_AGE;
}
