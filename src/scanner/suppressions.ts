/**
 * Suppression files (`.vioscan.yml`, YAML or JSON — JSON is valid YAML): accepted risks that
 * analyze() marks as accepted, never hides. Expired entries are dropped with a warning so an
 * old acceptance cannot silence a finding for ever.
 *
 *   suppressions:
 *     - check: hsts                      # check id or outcome id
 *       target: example.com              # a host, a URL, or a URL prefix ending in *
 *       reason: HSTS is set by our CDN for the apex only
 *       expires: 2026-12-31
 */
import { parse } from 'yaml';
import { z } from 'zod';
import type { Suppression } from './analyze.ts';

const entry = z.object({
  check: z.string().min(1).max(200),
  target: z.string().min(1).max(2048),
  reason: z.string().trim().min(1, 'a reason is required').max(1000),
  expires: z.union([z.string(), z.date()]).transform((v, ctx) => {
    const ms = v instanceof Date ? v.getTime() : Date.parse(v);
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: 'expected a date such as 2026-12-31' });
      return z.NEVER;
    }
    return new Date(ms).toISOString();
  }),
});
const list = z.array(entry).max(1000);

export class SuppressionFileError extends Error {
  override name = 'SuppressionFileError';
}

/**
 * A bare host (`example.com`, `example.com:8443`) accepts the finding on every URL of that host;
 * analyze() matches exact URLs or `prefix*`, so a host becomes the four prefixes that mean it.
 */
function targetsFor(target: string): string[] {
  if (/^https?:\/\//i.test(target)) return [target];
  const host = target.toLowerCase().replace(/\/+$/, '');
  if (host.includes(':')) return [`http://${host}/*`, `https://${host}/*`];
  return [`http://${host}/*`, `https://${host}/*`, `http://${host}:*`, `https://${host}:*`];
}

export function parseSuppressions(
  text: string,
  source: string,
  now: Date = new Date(),
): { suppressions: Suppression[]; warnings: string[] } {
  let data: unknown;
  try {
    data = parse(text, { maxAliasCount: 50 });
  } catch (error) {
    throw new SuppressionFileError(
      `${source}: not valid YAML or JSON (${(error as Error).message.split('\n')[0]})`,
    );
  }
  if (data === null || data === undefined) return { suppressions: [], warnings: [] };
  const entries =
    data && typeof data === 'object' && !Array.isArray(data) && 'suppressions' in data
      ? data.suppressions
      : data;
  if (!Array.isArray(entries)) {
    throw new SuppressionFileError(`${source}: expected a list under "suppressions:" (or a top-level list)`);
  }
  const parsed = list.safeParse(entries);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? `suppressions[${issue.path.join('].')}` : 'suppressions';
    throw new SuppressionFileError(`${source}: ${where}: ${issue.message}`);
  }
  const suppressions: Suppression[] = [];
  const warnings: string[] = [];
  for (const s of parsed.data) {
    if (Date.parse(s.expires) <= now.getTime()) {
      warnings.push(
        `${source}: suppression of ${s.check} for ${s.target} expired on ${s.expires.slice(0, 10)}; ignored`,
      );
      continue;
    }
    for (const target of targetsFor(s.target)) suppressions.push({ ...s, target });
  }
  return { suppressions, warnings };
}
