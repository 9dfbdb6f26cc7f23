/**
 * Shared pieces of the browser detection tests: a classifier built from tiny operator lists (the
 * real snapshot takes seconds to parse; classify.test.ts covers it) and a RawVisit builder.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClassifier, type Classifier } from '../../../src/scanner/browser/classify.ts';
import { sha256Hex } from '../../../src/scanner/browser/rule-sources.ts';
import type { InstrumentRecord, RawRequest, RawVisit } from '../../../src/scanner/browser/types.ts';

export const PAGE = 'https://shop.example.com/checkout';

const TINY_LISTS = {
  easyprivacy:
    '[Adblock Plus 2.0]\n! Title: EasyPrivacy\n||tracker.test^$third-party\n||google-analytics.com^\n',
  easylist: '[Adblock Plus 2.0]\n! Title: EasyList\n||ads.test^\n',
};

/** A classifier whose lists are tiny operator copies in a temporary RULES_DIR (owners: the shipped map). */
export async function tinyClassifier(): Promise<{
  classifier: Classifier;
  rulesDir: string;
  cleanup(): Promise<void>;
}> {
  const rulesDir = await mkdtemp(path.join(os.tmpdir(), 'vioscan-rules-test-'));
  const manifest: Record<string, unknown> = {};
  for (const [id, text] of Object.entries(TINY_LISTS)) {
    await writeFile(path.join(rulesDir, `${id}.txt`), text);
    manifest[id] = { date: '2026-01-02', source: 'test', sha256: sha256Hex(text) };
  }
  await writeFile(path.join(rulesDir, 'manifest.json'), JSON.stringify(manifest));
  const classifier = await createClassifier({ rulesDir });
  return { classifier, rulesDir, cleanup: () => rm(rulesDir, { recursive: true, force: true }) };
}

export function request(url: string, extra: Partial<RawRequest> = {}): RawRequest {
  return { url, method: 'GET', type: 'script', atMs: 10, frame: 'main', ...extra };
}

export function record(api: string, detail: InstrumentRecord['detail'], script?: string): InstrumentRecord {
  return { api, detail, atMs: 5, ...(script ? { script, frame: `${script}:1:1` } : {}) };
}

export function rawVisit(extra: Partial<RawVisit> = {}): RawVisit {
  return {
    kind: 'none',
    url: PAGE,
    finalUrl: PAGE,
    startedAt: '2026-12-07T00:00:00.000Z',
    durationMs: 1000,
    requests: [],
    websocketFrames: [],
    cookies: [],
    instrument: [],
    canariesTyped: true,
    blocked: [],
    ...extra,
  };
}
