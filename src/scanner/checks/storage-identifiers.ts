import { acrossVisits, hostOf, VISIT_LABEL } from '../privacy/facts.ts';
import type { Check, FindingDraft } from '../types.ts';
import { browserVisits, passUnlessPartial, quote, worst } from './helpers.ts';

const ID = 'storage-identifiers';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
/** Google Analytics-style client ids: a random number, a dot, a Unix time. */
const CLIENT_ID = /\b\d{6,}\.\d{9,}\b/;
const TOKEN = /[A-Za-z0-9_-]{16,}/g;

/**
 * Looks like an identifier: a UUID, a GA-style client id, or a random-looking token (16+ letters and
 * digits, both present, 10+ distinct characters). Words, flags, timestamps and small settings are not.
 */
export function looksLikeIdentifier(value: string): boolean {
  if (UUID.test(value) || CLIENT_ID.test(value)) return true;
  return (value.match(TOKEN) ?? []).some(
    (t) => /\d.*\d/.test(t) && /[A-Za-z].*[A-Za-z]/.test(t) && new Set(t).size >= 10,
  );
}

export const storageIdentifiers: Check = {
  id: ID,
  category: 'privacy',
  title: 'Third parties store no identifiers in the browser',
  failureTitle: 'Third parties store identifiers in browser storage',
  description:
    'Records writes to localStorage, sessionStorage and IndexedDB and flags those made by third-party ' +
    'scripts (or in third-party frames) whose value looks like an identifier — a UUID, a client id, a ' +
    'random token. Storage is read like a cookie, survives cookie blocking, and needs consent like one ' +
    '(ePrivacy Art. 5(3) covers any storage in the terminal).',
  remediation:
    'Remove the third-party script that stores the identifier, or load it only after the visitor consents.',
  references: [
    'https://www.edpb.europa.eu/our-work-tools/our-documents/guidelines/guidelines-22023-technical-scope-art-53-eprivacy-directive_en',
  ],
  requires: ['browser'],
  outcomes: {
    'storage-identifiers-third-party':
      'A third party stored an identifier in localStorage, sessionStorage or IndexedDB.',
    'storage-identifiers-none': 'No third party stored an identifier in browser storage.',
    'storage-identifiers-incomplete': 'A visit did not complete and no stored identifier was found.',
    'storage-identifiers-not-observed': 'No browser visit was made.',
  },
  run(a) {
    const visits = browserVisits(a, ID);
    if (!Array.isArray(visits)) return visits;
    const seen = acrossVisits(
      visits,
      (v) => v.storage.filter((w) => w.party === 'third' && looksLikeIdentifier(w.valuePreview)),
      (w) => `${w.area}\n${w.origin}\n${w.key}`,
    );
    const found: FindingDraft[] = seen.map(({ item: write, visits: kinds }) => {
      const who = write.script ?? write.origin;
      return {
        outcome: 'storage-identifiers-third-party',
        title: `${hostOf(who)} stores an identifier in ${write.area} (${quote(write.key, 60)})`,
        evidence:
          `${kinds.map((k) => VISIT_LABEL[k]).join(', ')}: ${write.area} of ${quote(write.origin, 100)}, ` +
          `key ${quote(write.key, 80)} = ${quote(write.valuePreview, 100)}` +
          (write.script ? `, written by script ${quote(write.script)}` : ''),
        remediation: write.script
          ? `Remove the script ${quote(write.script)} (from ${hostOf(write.script)}), or load it only after consent.`
          : `Remove the frame from ${hostOf(write.origin)} that writes this, or load it only after consent.`,
      };
    });
    const bad = worst(found, Object.keys(storageIdentifiers.outcomes), () => 'warn');
    return (
      bad ??
      passUnlessPartial(
        ID,
        visits,
        'storage-identifiers-none',
        `no third-party identifier stored in ${visits.length} visit(s)`,
      )
    );
  },
};
