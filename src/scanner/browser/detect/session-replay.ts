/**
 * Session replay: by vendor host (the list Blacklight uses, from the Princeton 2017 study of replay
 * scripts, plus Microsoft Clarity and Contentsquare; reference privacy-scan.md §5), and by
 * behaviour — a script that serialises the whole document, or observes every DOM mutation while
 * listening to the visitor's input, and sends data (a POST body, a beacon or a WebSocket frame).
 */
import { INPUT_EVENTS } from '../input-events.ts';
import type { InstrumentRecord, RawVisit, SessionReplayEvidence } from '../types.ts';
import { excerpt, recordsByScript, text, type ScriptResolver } from './scripts.ts';

interface Vendor {
  vendor: string;
  /** The host or any subdomain of it. */
  host: string;
  /** Path prefixes; none = the whole host. */
  paths?: string[];
}

const YANDEX_PATHS = ['/metrika/watch.js', '/metrika/tag.js', '/webvisor/'];

export const REPLAY_VENDORS: readonly Vendor[] = [
  { vendor: 'Yandex Metrica Webvisor', host: 'mc.yandex.ru', paths: YANDEX_PATHS },
  { vendor: 'Yandex Metrica Webvisor', host: 'mc.yandex.com', paths: YANDEX_PATHS },
  { vendor: 'FullStory', host: 'fullstory.com', paths: ['/s/fs.js', '/rec/'] },
  {
    vendor: 'SessionCam',
    host: 'd2oh4tlt9mrke9.cloudfront.net',
    paths: ['/Record/js/sessioncam.recorder.js'],
  },
  { vendor: 'SessionCam', host: 'ws.sessioncam.com', paths: ['/Record/record.asmx'] },
  { vendor: 'UserReplay', host: 'userreplay.net' },
  { vendor: 'Hotjar', host: 'static.hotjar.com' },
  { vendor: 'Hotjar', host: 'script.hotjar.com' },
  { vendor: 'Hotjar', host: 'insights.hotjar.com', paths: ['/api'] },
  { vendor: 'Clicktale', host: 'clicktale.net' },
  { vendor: 'Smartlook', host: 'smartlook.com' },
  { vendor: 'Decibel', host: 'decibelinsight.net' },
  { vendor: 'Quantum Metric', host: 'quantummetric.com' },
  { vendor: 'Inspectlet', host: 'inspectlet.com' },
  { vendor: 'Mouseflow', host: 'mouseflow.com' },
  { vendor: 'LogRocket', host: 'logrocket.com' },
  { vendor: 'Glia (SaleMove)', host: 'salemove.com' },
  { vendor: 'Lucky Orange', host: 'luckyorange.com' },
  { vendor: 'Lucky Orange', host: 'd10lpsik1i8c69.cloudfront.net' },
  { vendor: 'VWO', host: 'vwo.com' },
  { vendor: 'Microsoft Clarity', host: 'clarity.ms' },
  { vendor: 'Contentsquare', host: 'contentsquare.net' },
];

function vendorOf(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const host = parsed.hostname.toLowerCase();
  for (const { vendor, host: vendorHost, paths } of REPLAY_VENDORS) {
    if (host !== vendorHost && !host.endsWith(`.${vendorHost}`)) continue;
    if (!paths || paths.some((p) => parsed.pathname.startsWith(p))) return vendor;
  }
  return undefined;
}

const PAGE_TARGETS = new Set(['document', 'html', 'body']);
const KEYBOARD = new Set<string>(INPUT_EVENTS.keyboard);
const POINTER = new Set<string>([...INPUT_EVENTS.pointer, ...INPUT_EVENTS.touch]);

function behaviour(records: InstrumentRecord[]): string | undefined {
  const serialised = records.find(
    (r) =>
      (r.api === 'XMLSerializer.serializeToString' ||
        r.api === 'Element.outerHTML' ||
        r.api === 'Element.innerHTML') &&
      text(r, 'target') !== 'body',
  );
  if (serialised) return `serialised the whole document (${serialised.api})`;
  const observed = records.find(
    (r) =>
      r.api === 'MutationObserver.observe' &&
      PAGE_TARGETS.has(text(r, 'target')) &&
      r.detail.subtree === true,
  );
  if (!observed) return undefined;
  const listened = records
    .filter((r) => r.api === 'EventTarget.addEventListener')
    .map((r) => text(r, 'type'));
  const keys = listened.filter((t) => KEYBOARD.has(t));
  const pointer = listened.filter((t) => POINTER.has(t));
  if (keys.length === 0 || pointer.length === 0) return undefined;
  return `observed every DOM mutation of the ${text(observed, 'target')} and listened to ${[...new Set([...keys, ...pointer])].slice(0, 6).join(', ')}`;
}

function sentData(visit: RawVisit, script: string): string | undefined {
  const posts = visit.requests.filter(
    (r) =>
      r.initiator === script && (r.type === 'ping' || (r.method !== 'GET' && (r.postData?.length ?? 0) > 0)),
  );
  const frames = visit.websocketFrames.filter((f) => f.initiator === script);
  if (posts.length === 0 && frames.length === 0) return undefined;
  const first = posts[0]?.url ?? frames[0]!.url;
  const count = posts.length + frames.length;
  return `sent ${count} message${count === 1 ? '' : 's'} with data, first to ${excerpt(first, 120)}`;
}

export function detectSessionReplay(
  visit: RawVisit,
  resolve: ScriptResolver,
  pageUrl: string,
): SessionReplayEvidence[] {
  const found: SessionReplayEvidence[] = [];
  const vendors = new Set<string>();
  for (const request of visit.requests) {
    const vendor = vendorOf(request.url);
    if (!vendor || vendors.has(vendor)) continue;
    vendors.add(vendor);
    const { script, party } = resolve(
      request.type === 'script' ? request.url : (request.initiator ?? request.url),
    );
    found.push({
      script,
      vendor,
      by: 'host',
      party,
      evidence: `request to ${excerpt(request.url, 160)} (${request.type})`,
    });
  }
  for (const [script, own] of recordsByScript(visit.instrument, pageUrl)) {
    const did = behaviour(own);
    if (!did) continue;
    const sent = sentData(visit, script);
    if (!sent) continue;
    const ref = resolve(script);
    const vendor = vendorOf(ref.script);
    found.push({ ...ref, ...(vendor ? { vendor } : {}), by: 'behaviour', evidence: `${did}; ${sent}` });
  }
  return found;
}
