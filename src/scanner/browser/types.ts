/**
 * The browser stage's artefacts (DESIGN §7): what three real-browser visits of a page recorded,
 * already classified and analysed, as plain data. Checks (`checks/privacy-*.ts`,
 * `checks/accessibility.ts`) are pure functions of these. Everything here came from a hostile
 * page: every string is capped when recorded and escaped wherever it is shown.
 *
 * Producers: recording (proxy.ts, pool.ts, visit.ts, visits.ts) builds a RawVisit per visit;
 * classify.ts classifies every request and cookie; detect.ts turns a RawVisit into the detections
 * (fingerprinting, session replay, key logging, pixels, storage writes).
 */
import type { GatherError } from '../gather-error.ts';

/** none: no interaction (before consent) · reject: after "reject all" · gpc: with Global Privacy Control on. */
export type VisitKind = 'none' | 'reject' | 'gpc';
export const VISIT_KINDS: readonly VisitKind[] = ['none', 'reject', 'gpc'];

export type Party = 'first' | 'third';

export const TRACKER_PURPOSES = [
  'advertising',
  'analytics',
  'social',
  'session-replay',
  'tag-manager',
  'customer-interaction',
  'fingerprinting',
  'consent',
  'cdn',
  'other',
] as const;
export type TrackerPurpose = (typeof TRACKER_PURPOSES)[number];

export interface RequestClassification {
  /** Registrable domain of the host (tldts); the host itself for IP literals and single labels. */
  domain: string;
  /** Against the registrable domain of the page's final URL. */
  party: Party;
  /** The tracker-list rule that matched (EasyPrivacy first, then EasyList). */
  tracker?: { list: 'easyprivacy' | 'easylist'; filter: string };
  /** From VIOscan's curated owner map (rules/owners.json or the operator's copy), with the entry's first-party source. */
  owner?: { company: string; product?: string; purpose: TrackerPurpose; source: string };
}

/** One request as the page made it (browser-level requests such as Chromium's updater are not counted). */
export interface BrowserRequest {
  url: string;
  method: string;
  /** Lower-case resource type: document, sub_frame, script, stylesheet, image, font, xhr, fetch, ping, websocket, media, other. */
  type: string;
  /** The script that caused it (top of the initiator stack), or the document for parser-initiated loads. */
  initiator?: string;
  status?: number;
  /** Request body, capped (key-logging evidence). */
  postData?: string;
  /** Why it did not complete, e.g. `target_not_allowed: resolves to loopback` (refused by the guarded proxy). */
  failure?: string;
  /** Milliseconds after the visit started. */
  atMs: number;
  classification: RequestClassification;
}

export interface BrowserCookie {
  name: string;
  /** Capped at 200 characters. */
  value: string;
  domain: string;
  path: string;
  /** ISO date; absent for session cookies. */
  expires?: string;
  session: boolean;
  httpOnly: boolean;
  secure: boolean;
  sameSite?: 'Strict' | 'Lax' | 'None';
  /** CHIPS: partitioned by the top-level site. */
  partitioned: boolean;
  /** Who set it: a response's Set-Cookie (with the response URL) or a script (with the script URL when known). */
  setBy: { via: 'http' | 'js'; url?: string };
  classification: RequestClassification;
  /** Chromium refused to store it (CDP responseReceivedExtraInfo.blockedCookies reasons, e.g.
   *  `SameSiteUnspecifiedTreatedAsLax`, `SameSiteNoneInsecure`); the record comes from the response. */
  blockedReasons?: string[];
  /** Milliseconds after the visit started when it was (last) set, when known: tells a cookie set after
   *  the rejection (ConsentOutcome.reloadedAtMs) from one set before it and left in place. */
  setAtMs?: number;
}

export interface StorageWrite {
  area: 'localStorage' | 'sessionStorage' | 'indexedDB';
  origin: string;
  key: string;
  /** First 100 characters of the value. */
  valuePreview: string;
  script?: string;
  /** The writing script's party (a third-party script writing first-party storage is third); the origin's when no script is known. */
  party: Party;
}

export type FingerprintTechnique = 'canvas' | 'canvas-font' | 'webgl' | 'audio' | 'webrtc';

export interface FingerprintEvidence {
  technique: FingerprintTechnique;
  /** The responsible script URL. */
  script: string;
  party: Party;
  /** What it did, e.g. `toDataURL on a 220×30 canvas after fillText "Cwm fjordbank…" in 2 colours`. */
  evidence: string;
  /** One stack frame `url:line:column`, when known. */
  frame?: string;
}

export interface SessionReplayEvidence {
  script: string;
  vendor?: string;
  /** host: the script's host is a known replay vendor; behaviour: it serialised the DOM and sent mutations. */
  by: 'host' | 'behaviour';
  evidence: string;
  /** The script's party (always set by detect()). */
  party?: Party;
}

export type CanaryField = 'name' | 'email' | 'phone' | 'password';
export type CanaryEncoding = 'plain' | 'url' | 'base64' | 'md5' | 'sha1' | 'sha256' | 'sha512';

/** A canary typed into the page (never submitted) that left the page anyway. */
export interface KeyLoggingEvidence {
  field: CanaryField;
  encoding: CanaryEncoding;
  /** Hash of the normalised value (trimmed, lower-cased e-mail; digits-only phone), as Meta's advanced matching sends. */
  normalised: boolean;
  where: 'url' | 'body' | 'beacon' | 'websocket';
  requestUrl: string;
  initiator?: string;
  /** The receiving host's party (who got the data). */
  party: Party;
  /** The sending script's party, when the initiator is known. */
  initiatorParty?: Party;
  /** The matching part of the request, capped. */
  evidence: string;
}

export interface PixelEvent {
  vendor: 'facebook' | 'google-analytics' | 'google-ads';
  /** Facebook `ev`, GA `en`/`t`, … */
  event: string;
  /** GA/Ads remarketing (`stats.g.doubleclick.net` with a tag id, or `npa=0` remarketing flags). */
  remarketing?: boolean;
  /** Facebook advanced-matching keys present (`ud[em]`, `ud[ph]`, …). */
  advancedMatching?: string[];
  url: string;
  /** The script that sent it, when known, and the receiving host's party (always set by detect()). */
  initiator?: string;
  party?: Party;
}

export interface ConsentOutcome {
  /** The consent-management platform autoconsent detected (its rule name), if any. */
  cmp?: string;
  /** A visible consent popup was found. */
  popupFound: boolean;
  /** autoconsent reported a successful "reject all" (treated as a claim: the checks cross-check requests and cookies). */
  rejected: boolean;
  /** The rule's self-test confirmed the rejection, when the rule has one. */
  selfTest?: boolean;
  clicks?: number;
  durationMs?: number;
  error?: string;
  /** Milliseconds after the visit started when the page was reloaded after the rejection. Requests
   *  from then on are what the site did after the visitor said no; absent = not reloaded or unknown,
   *  and then no request is blamed on the rejection (cookies still left in the jar are). */
  reloadedAtMs?: number;
}

export interface GpcState {
  /** Sec-GPC: 1 was sent with the navigation. */
  headerSent: boolean;
  /** navigator.globalPrivacyControl read true in the page. */
  navigatorValue: boolean;
  /** GET /.well-known/gpc.json (through the same guard). */
  wellKnown?: { status?: number; gpc?: boolean; lastUpdate?: string; error?: string };
}

export interface Screenshot {
  mime: 'image/jpeg';
  /** Base64 of the JPEG of the first view (viewport only). */
  base64: string;
  width: number;
  height: number;
}

export interface VisitArtefact {
  kind: VisitKind;
  url: string;
  finalUrl?: string;
  title?: string;
  startedAt: string;
  durationMs: number;
  /** The visit could not be completed (timeout, navigation refused, crash); what was recorded is kept. */
  error?: GatherError;
  requests: BrowserRequest[];
  /** More requests than the cap were made; the rest were counted, not kept. */
  requestsDropped?: number;
  cookies: BrowserCookie[];
  storage: StorageWrite[];
  fingerprinting: FingerprintEvidence[];
  sessionReplay: SessionReplayEvidence[];
  keyLogging: KeyLoggingEvidence[];
  pixels: PixelEvent[];
  /** Canaries were typed into at least one input on this visit (false: the page had none, so key logging
   *  could not be tested); absent when unknown. */
  canariesTyped?: boolean;
  /** Only on the `reject` visit. */
  consent?: ConsentOutcome;
  /** Only on the `gpc` visit. */
  gpc?: GpcState;
  /** Requests the guarded proxy refused (internal addresses, rebinding): never fetched. */
  blocked: { url: string; reason: string }[];
  screenshot?: Screenshot;
}

export interface AccessibilityViolation {
  /** axe rule id, e.g. `color-contrast`. */
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  /** WCAG tags of the rule (`wcag2a`, `wcag21aa`, `wcag111`, …). */
  tags: string[];
  help: string;
  helpUrl: string;
  /** Affected elements, capped: CSS selector and the element's HTML (capped). */
  nodes: { target: string; html: string }[];
}

export interface AccessibilityArtefact {
  /** e.g. `axe-core 4.14.1`. */
  engine: string;
  url: string;
  violations: AccessibilityViolation[];
  error?: GatherError;
}

export interface TrackerListInfo {
  id: 'easyprivacy' | 'easylist' | 'owners';
  name: string;
  /** Date of the snapshot in use (shown in every report). */
  date: string;
  licence: string;
}

export interface BrowserArtefact {
  browser: {
    /** e.g. `Chromium 156.0.8078.129`. */
    product: string;
    userAgent: string;
    /** We observe with third-party cookies allowed, as stock Chrome does; the report says so. */
    thirdPartyCookies: 'allowed';
  };
  lists: TrackerListInfo[];
  visits: VisitArtefact[];
  /** axe-core on the first visit's page. */
  accessibility?: AccessibilityArtefact;
  /** The browser stage could not run at all (no Chromium, launch failed); checks that need it are `error`. */
  error?: GatherError;
}

// ---- Recording → detection interface (visit.ts produces, detect.ts and classify.ts consume) ----

/** One record pushed by the instrumentation init script (instrument.ts) through the `__vioscanRecord` binding. */
export interface InstrumentRecord {
  /** e.g. `HTMLCanvasElement.toDataURL`, `CanvasRenderingContext2D.fillText`, `WebGLRenderingContext.getParameter`,
   *  `OfflineAudioContext.startRendering`, `EventTarget.addEventListener`, `Storage.setItem`, `MutationObserver.observe`. */
  api: string;
  /** Arguments and state summarised by the instrument (capped strings, numbers). */
  detail: Record<string, string | number | boolean>;
  /** The calling script URL (from the stack), when known. */
  script?: string;
  /** `url:line:column` of the calling frame. */
  frame?: string;
  /** Milliseconds after the visit started. */
  atMs: number;
}

export interface RawRequest {
  url: string;
  method: string;
  type: string;
  initiator?: string;
  status?: number;
  postData?: string;
  failure?: string;
  atMs: number;
  /** The URL of the frame that made it (for third-party matching). */
  frameUrl?: string;
  frame: 'main' | 'sub';
}

export type RawCookie = Omit<BrowserCookie, 'classification'>;

export interface RawVisit {
  kind: VisitKind;
  url: string;
  finalUrl?: string;
  title?: string;
  startedAt: string;
  durationMs: number;
  error?: GatherError;
  requests: RawRequest[];
  requestsDropped?: number;
  /** WebSocket frames the page sent (capped), for key-logging search. */
  websocketFrames: { url: string; payload: string; initiator?: string }[];
  cookies: RawCookie[];
  instrument: InstrumentRecord[];
  /** The canary values typed into the page on this visit (detect.ts searches requests for them). */
  canariesTyped: boolean;
  consent?: ConsentOutcome;
  gpc?: GpcState;
  blocked: { url: string; reason: string }[];
  screenshot?: Screenshot;
}
