/**
 * VIOscan's own tracker owner map (rules/owners.json): tracker domain → company and purpose, each
 * entry with a first-party source (the vendor's own page naming the domain). Published maps
 * (Disconnect, DuckDuckGo Tracker Radar, Ghostery TrackerDB, AdGuard companiesdb, webXray) are
 * non-commercial or of unclear licence and are not used (docs/third-party-data.md).
 */
import { z } from 'zod';
import { TRACKER_PURPOSES, type RequestClassification } from './types.ts';

const hostname = z
  .string()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/, {
    message: 'must be a lower-case domain name such as google-analytics.com',
  });

export const ownerEntrySchema = z.object({
  company: z.string().trim().min(2).max(100),
  /** The product, when the company has several (Google Analytics vs Google Ads). */
  product: z.string().trim().min(2).max(100).optional(),
  purpose: z.enum(TRACKER_PURPOSES),
  /** The entry covers these domains and every subdomain of them. */
  domains: z.array(hostname).min(1).max(50),
  /** The vendor's own page naming these domains. */
  source: z.url({ protocol: /^https$/, message: 'must be an https:// URL' }),
});

export const ownerMapSchema = z
  .object({
    version: z.literal(1),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'),
    entries: z.array(ownerEntrySchema).min(1).max(5000),
  })
  .superRefine((map, ctx) => {
    const seen = new Set<string>();
    for (const [i, entry] of map.entries.entries()) {
      for (const domain of entry.domains) {
        if (seen.has(domain)) {
          ctx.addIssue({
            code: 'custom',
            path: ['entries', i, 'domains'],
            message: `${domain} is listed twice`,
          });
        }
        seen.add(domain);
      }
    }
  });
export type OwnerMap = z.infer<typeof ownerMapSchema>;

export type Owner = NonNullable<RequestClassification['owner']>;

/** The problems of a candidate map, one line each, or [] when it is valid. */
export function ownerMapProblems(json: unknown): string[] {
  const parsed = ownerMapSchema.safeParse(json);
  if (parsed.success) return [];
  return parsed.error.issues
    .slice(0, 10)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

export interface OwnerLookup {
  /** The most specific entry covering the host (stats.g.doubleclick.net before doubleclick.net). */
  ownerOf(host: string): Owner | undefined;
  entries: number;
}

export function ownerLookup(map: OwnerMap): OwnerLookup {
  const byDomain = new Map<string, Owner>();
  for (const entry of map.entries) {
    const { company, product, purpose, source } = entry;
    const owner: Owner = product ? { company, product, purpose, source } : { company, purpose, source };
    for (const domain of entry.domains) byDomain.set(domain, owner);
  }
  return {
    entries: map.entries.length,
    ownerOf(host) {
      let name = host.toLowerCase().replace(/\.$/, '');
      for (;;) {
        const owner = byDomain.get(name);
        if (owner) return owner;
        const dot = name.indexOf('.');
        if (dot < 0) return undefined;
        name = name.slice(dot + 1);
      }
    },
  };
}
