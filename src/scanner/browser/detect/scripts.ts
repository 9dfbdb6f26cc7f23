/**
 * Who did it: instrument records grouped by the calling script, each script with its party. A
 * record with no script URL on its stack is charged to the page itself.
 */
import type { Classifier } from '../classify.ts';
import type { InstrumentRecord, Party } from '../types.ts';

export interface ScriptRef {
  script: string;
  party: Party;
}

export type ScriptResolver = (script: string | undefined) => ScriptRef;

export function scriptResolver(classifier: Classifier, pageUrl: string): ScriptResolver {
  const known = new Map<string, ScriptRef>();
  return (script) => {
    const url = script ?? pageUrl;
    let ref = known.get(url);
    if (!ref) {
      ref = { script: url, party: classifier.classify(url, { pageUrl, type: 'script' }).party };
      known.set(url, ref);
    }
    return ref;
  };
}

export function recordsByScript(
  records: readonly InstrumentRecord[],
  pageUrl: string,
): Map<string, InstrumentRecord[]> {
  const groups = new Map<string, InstrumentRecord[]>();
  for (const record of records) {
    const key = record.script ?? pageUrl;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(record);
  }
  return groups;
}

/** The part after the interface: `fillText` for both CanvasRenderingContext2D and OffscreenCanvasRenderingContext2D. */
export const member = (record: InstrumentRecord): string => record.api.slice(record.api.indexOf('.') + 1);

export const text = (record: InstrumentRecord, key: string): string => {
  const value = record.detail[key];
  return typeof value === 'string' ? value : '';
};

export const num = (record: InstrumentRecord, key: string): number => {
  const value = record.detail[key];
  return typeof value === 'number' ? value : 0;
};

/** Hostile text in evidence: one line, capped. */
export function excerpt(value: string, max = 200): string {
  const line = value.replace(/\p{Cc}+/gu, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
