/**
 * Storage writes made by scripts (localStorage, sessionStorage, IndexedDB), from the instrument's
 * records: who wrote what where. The party is the writing script's: a third-party script keeping an
 * identifier in the site's own storage is third-party tracking.
 */
import type { Classifier } from '../classify.ts';
import type { InstrumentRecord, StorageWrite } from '../types.ts';
import { excerpt, text, type ScriptResolver } from './scripts.ts';

const MAX_WRITES = 200;

function write(record: InstrumentRecord): Omit<StorageWrite, 'party' | 'script'> | undefined {
  const origin = text(record, 'origin');
  const value = excerpt(text(record, 'value'), 100);
  if (record.api === 'Storage.setItem') {
    const area = text(record, 'area');
    if (area !== 'localStorage' && area !== 'sessionStorage') return undefined;
    return { area, origin, key: excerpt(text(record, 'key'), 100), valuePreview: value };
  }
  if (record.api === 'IDBObjectStore.put' || record.api === 'IDBObjectStore.add') {
    const key = [text(record, 'database'), text(record, 'store'), text(record, 'key')]
      .filter(Boolean)
      .join('/');
    return { area: 'indexedDB', origin, key: excerpt(key, 100), valuePreview: value };
  }
  return undefined;
}

export function detectStorage(
  records: readonly InstrumentRecord[],
  classifier: Classifier,
  pageUrl: string,
  resolve: ScriptResolver,
): StorageWrite[] {
  const found: StorageWrite[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    const entry = write(record);
    if (!entry) continue;
    const key = [entry.area, entry.origin, entry.key, record.script ?? ''].join('\u0000');
    if (seen.has(key) || found.length >= MAX_WRITES) continue;
    seen.add(key);
    const party = record.script
      ? resolve(record.script).party
      : classifier.classify(entry.origin || pageUrl, { pageUrl }).party;
    found.push({ ...entry, ...(record.script ? { script: record.script } : {}), party });
  }
  return found;
}
