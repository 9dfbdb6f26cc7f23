/**
 * VIOscan's own owner map: every shipped entry well formed with an https first-party source, the
 * schema refusing what it must, lookups by most specific domain, and the shipped manifest's hashes
 * matching the committed files.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ownerLookup,
  ownerMapProblems,
  ownerMapSchema,
  type OwnerMap,
} from '../../../src/scanner/browser/owners.ts';
import {
  readManifest,
  RULE_FILES,
  RULE_IDS,
  SHIPPED_RULES_DIR,
  sha256Hex,
} from '../../../src/scanner/browser/rule-sources.ts';
import { TRACKER_PURPOSES } from '../../../src/scanner/browser/types.ts';

const shipped = JSON.parse(readFileSync(path.join(SHIPPED_RULES_DIR, 'owners.json'), 'utf8')) as OwnerMap;

describe('the shipped owner map', () => {
  it('passes its schema', () => {
    expect(ownerMapProblems(shipped)).toEqual([]);
  });

  it.each(shipped.entries.map((e) => [e.domains.join(', '), e] as const))(
    '%s: well formed',
    (_domains, entry) => {
      expect(entry.company.trim().length).toBeGreaterThan(1);
      expect(TRACKER_PURPOSES).toContain(entry.purpose);
      const source = new URL(entry.source);
      expect(source.protocol).toBe('https:');
      expect(source.username + source.password).toBe('');
      for (const domain of entry.domains) expect(domain).toMatch(/^[a-z0-9.-]+\.[a-z]{2,}$/);
    },
  );

  it('covers at least 60 tracker domains, each once', () => {
    const domains = shipped.entries.flatMap((e) => e.domains);
    expect(domains.length).toBeGreaterThanOrEqual(60);
    expect(new Set(domains).size).toBe(domains.length);
  });

  it('knows the common trackers the detectors report', () => {
    const lookup = ownerLookup(ownerMapSchema.parse(shipped));
    for (const host of [
      'www.google-analytics.com',
      'www.googletagmanager.com',
      'connect.facebook.net',
      'static.hotjar.com',
      'www.clarity.ms',
      'edge.fullstory.com',
      'stats.g.doubleclick.net',
    ]) {
      expect(lookup.ownerOf(host), host).toBeDefined();
    }
  });
});

describe('ownerMapProblems', () => {
  const entry = {
    company: 'Example Ltd',
    purpose: 'analytics',
    domains: ['tracker.example'],
    source: 'https://tracker.example/docs',
  };
  const map = (entries: unknown[]) => ({ version: 1, date: '2026-12-07', entries });

  it.each([
    [
      'an http source',
      [{ ...entry, source: 'http://tracker.example/docs' }],
      'entries.0.source: must be an https:// URL',
    ],
    ['an unknown purpose', [{ ...entry, purpose: 'spying' }], 'entries.0.purpose'],
    [
      'an upper-case domain',
      [{ ...entry, domains: ['Tracker.example'] }],
      'entries.0.domains.0: must be a lower-case domain name',
    ],
    [
      'a URL instead of a domain',
      [{ ...entry, domains: ['https://tracker.example/'] }],
      'entries.0.domains.0',
    ],
    [
      'a domain listed twice',
      [entry, { ...entry, company: 'Other' }],
      'entries.1.domains: tracker.example is listed twice',
    ],
    ['a missing company', [{ ...entry, company: undefined }], 'entries.0.company'],
    ['no entries', [], 'entries'],
  ])('reports %s', (_name, entries, problem) => {
    const problems = ownerMapProblems(map(entries));
    expect(problems.join('\n')).toContain(problem);
  });

  it('accepts a minimal valid map and rejects a wrong version', () => {
    expect(ownerMapProblems(map([entry]))).toEqual([]);
    expect(ownerMapProblems({ ...map([entry]), version: 2 })[0]).toMatch(/^version:/);
  });
});

describe('ownerLookup', () => {
  const lookup = ownerLookup(
    ownerMapSchema.parse({
      version: 1,
      date: '2026-12-07',
      entries: [
        {
          company: 'Ads Inc',
          purpose: 'advertising',
          domains: ['ads.example'],
          source: 'https://ads.example/docs',
        },
        {
          company: 'Ads Inc',
          product: 'Measure',
          purpose: 'analytics',
          domains: ['m.ads.example'],
          source: 'https://ads.example/m',
        },
      ],
    }),
  );

  it('matches the domain and its subdomains, the most specific entry first', () => {
    expect(lookup.ownerOf('ads.example')?.purpose).toBe('advertising');
    expect(lookup.ownerOf('x.y.ads.example')?.purpose).toBe('advertising');
    expect(lookup.ownerOf('eu.m.ads.example')).toEqual({
      company: 'Ads Inc',
      product: 'Measure',
      purpose: 'analytics',
      source: 'https://ads.example/m',
    });
    expect(lookup.ownerOf('M.ADS.EXAMPLE.')?.product).toBe('Measure');
  });

  it('does not match look-alikes or parents', () => {
    expect(lookup.ownerOf('badads.example')).toBeUndefined();
    expect(lookup.ownerOf('example')).toBeUndefined();
  });
});

it('the shipped manifest records the SHA-256 of every shipped file', () => {
  const manifest = readManifest(SHIPPED_RULES_DIR);
  for (const id of RULE_IDS) {
    const text = readFileSync(path.join(SHIPPED_RULES_DIR, RULE_FILES[id]), 'utf8');
    expect(manifest[id]?.sha256, `${id}: update rules/manifest.json`).toBe(sha256Hex(text));
  }
  const notice = readFileSync(path.join(SHIPPED_RULES_DIR, 'NOTICE'), 'utf8');
  expect(notice).toContain('CC BY-SA 3.0');
  expect(notice).toContain(manifest.easyprivacy!.date);
});
