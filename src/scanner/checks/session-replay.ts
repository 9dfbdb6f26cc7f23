import { acrossVisits, hostOf, VISIT_LABEL } from '../privacy/facts.ts';
import type { Check, FindingDraft } from '../types.ts';
import { browserVisits, passUnlessPartial, quote, worst } from './helpers.ts';

const ID = 'session-replay';

export const sessionReplay: Check = {
  id: ID,
  category: 'privacy',
  title: 'No session recording',
  failureTitle: 'A session-replay script records what visitors do',
  description:
    'Flags session-replay scripts, which record keystrokes, mouse movement, scrolling and the page’s ' +
    'content and send them to a vendor (Princeton CITP, 2017: such scripts captured passwords and health ' +
    'data). Found by the script’s host (a known replay vendor) or by its behaviour (it serialises the page ' +
    'and sends its changes).',
  remediation:
    'Remove the session-replay script, or load it only after consent and mask every input and personal ' +
    'data field in the vendor’s settings.',
  references: [
    'https://freedom-to-tinker.com/2017/11/15/no-boundaries-exfiltration-of-personal-data-by-session-replay-scripts/',
  ],
  requires: ['browser'],
  outcomes: {
    'session-replay-found': 'A script records the session and sends it away.',
    'session-replay-none': 'No session recording was seen in any visit.',
    'session-replay-incomplete': 'A visit did not complete and no session recording was found.',
    'session-replay-not-observed': 'No browser visit was made.',
  },
  run(a) {
    const visits = browserVisits(a, ID);
    if (!Array.isArray(visits)) return visits;
    const seen = acrossVisits(
      visits,
      (v) => v.sessionReplay,
      (r) => r.script,
    );
    const found: FindingDraft[] = seen.map(({ item: replay, visits: kinds }) => {
      const vendor = replay.vendor ? quote(replay.vendor, 60) : hostOf(replay.script);
      const how =
        replay.by === 'host'
          ? 'a known session-replay vendor'
          : 'it serialised the page and sent its changes';
      return {
        outcome: 'session-replay-found',
        title: `Session replay by ${vendor}`,
        evidence:
          `${kinds.map((k) => VISIT_LABEL[k]).join(', ')}: script ${quote(replay.script)} (${how}): ` +
          quote(replay.evidence, 200),
        remediation:
          `Remove the script ${quote(replay.script)} (from ${hostOf(replay.script)}), or load it only after ` +
          'consent with every input and personal field masked in the vendor’s settings.',
      };
    });
    const bad = worst(found, Object.keys(sessionReplay.outcomes), () => 'fail');
    return (
      bad ??
      passUnlessPartial(
        ID,
        visits,
        'session-replay-none',
        `no session recording in ${visits.length} visit(s)`,
      )
    );
  },
};
