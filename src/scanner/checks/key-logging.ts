import type { CanaryEncoding, CanaryField, KeyLoggingEvidence, VisitKind } from '../browser/types.ts';
import { hostOf, VISIT_LABEL } from '../privacy/facts.ts';
import type { Check, FindingDraft } from '../types.ts';
import { browserVisits, passUnlessPartial, quote, result, worst } from './helpers.ts';

const ID = 'key-logging';

const FIELD: Record<CanaryField, string> = {
  name: 'name',
  email: 'e-mail address',
  phone: 'phone number',
  password: 'password',
};
const ENCODING: Record<CanaryEncoding, string> = {
  plain: 'in plain text',
  url: 'URL-encoded',
  base64: 'base64-encoded',
  md5: 'as an MD5 hash',
  sha1: 'as a SHA-1 hash',
  sha256: 'as a SHA-256 hash',
  sha512: 'as a SHA-512 hash',
};
const WHERE: Record<KeyLoggingEvidence['where'], string> = {
  url: 'in a request URL',
  body: 'in a request body',
  beacon: 'in a beacon',
  websocket: 'in a WebSocket message',
};

export const keyLogging: Check = {
  id: ID,
  category: 'privacy',
  title: 'What visitors type stays in the page until they submit',
  failureTitle: 'What visitors type is sent before they submit',
  description:
    'Types a made-up name, e-mail address, phone number and password into the page’s fields without ' +
    'submitting anything, then searches every request — URLs, bodies, beacons, WebSocket messages — for ' +
    'them: in plain text, URL-encoded, base64, or as MD5/SHA-1/SHA-256/SHA-512 hashes of the raw and the ' +
    'normalised value (advertising "advanced matching" sends SHA-256 of normalised e-mails). Data a visitor ' +
    'typed but never sent has left the page.',
  remediation:
    'Remove the script that reads form fields as they are typed (session replay, "advanced matching", form ' +
    'analytics), or configure it to ignore inputs; send form data only when the visitor submits.',
  references: [
    'https://themarkup.org/blacklight/2020/09/22/how-we-built-a-real-time-privacy-inspector',
    'https://developers.facebook.com/docs/meta-pixel/advanced/advanced-matching',
  ],
  requires: ['browser'],
  outcomes: {
    'key-logging-third-party': 'Something typed into the page, never submitted, was sent to a third party.',
    'key-logging-first-party': 'Something typed into the page, never submitted, was sent to the site itself.',
    'key-logging-none': 'Nothing typed into the page left it before submitting.',
    'key-logging-no-inputs':
      'The page had no input field to type into, so key logging could not happen here.',
    'key-logging-incomplete': 'A visit did not complete and nothing typed was found leaving the page.',
    'key-logging-not-observed': 'No browser visit was made.',
  },
  run(a) {
    const visits = browserVisits(a, ID);
    if (!Array.isArray(visits)) return visits;
    const seen = new Map<
      string,
      { leak: KeyLoggingEvidence; encodings: Set<string>; visits: Set<VisitKind> }
    >();
    for (const visit of visits) {
      for (const leak of visit.keyLogging) {
        const key = `${leak.field}\n${hostOf(leak.requestUrl)}`;
        const entry = seen.get(key) ?? { leak, encodings: new Set<string>(), visits: new Set<VisitKind>() };
        seen.set(key, entry);
        entry.encodings.add(
          `${ENCODING[leak.encoding] ?? leak.encoding}${leak.normalised ? ' of the normalised value' : ''}`,
        );
        entry.visits.add(visit.kind);
      }
    }
    const found: FindingDraft[] = [...seen.values()].map(({ leak, encodings, visits: kinds }) => {
      const host = hostOf(leak.requestUrl);
      const field = FIELD[leak.field] ?? leak.field;
      const by = leak.initiator ? `script ${quote(leak.initiator)}` : 'an unknown script';
      return {
        outcome: leak.party === 'third' ? 'key-logging-third-party' : 'key-logging-first-party',
        title: `The ${field} typed into the page was sent to ${host} before submitting`,
        evidence:
          `${[...kinds].map((k) => VISIT_LABEL[k]).join(', ')}: ${field} ${[...encodings].join(', ')} ` +
          `${WHERE[leak.where] ?? leak.where} to ${quote(leak.requestUrl)} by ${by}: ${quote(leak.evidence, 150)}`,
        remediation: leak.initiator
          ? `Remove the script ${quote(leak.initiator)} (from ${hostOf(leak.initiator)}) or configure it not to read ` +
            `form fields; nothing typed should reach ${host} before the visitor submits.`
          : `Find the script that sends form fields to ${host} and remove it or stop it reading inputs.`,
      };
    });
    found.sort(
      (x, y) => Number(x.outcome.endsWith('first-party')) - Number(y.outcome.endsWith('first-party')),
    );
    const bad = worst(found, Object.keys(keyLogging.outcomes), () => 'fail');
    if (bad) return bad;
    if (visits.every((v) => v.canariesTyped === false))
      return result('key-logging-no-inputs', 'pass', 'no input field to type into in any visit');
    return passUnlessPartial(
      ID,
      visits,
      'key-logging-none',
      'nothing typed into the page left it before submitting',
    );
  },
};
