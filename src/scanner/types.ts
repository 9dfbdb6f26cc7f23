/**
 * The scanner's contracts: artefacts (what gatherers collect), checks (what judges them) and
 * the report (DESIGN §5). Everything in an artefact came from the scanned site: treat it as hostile.
 */
import type {
  BrowserArtefact,
  CanaryEncoding,
  CanaryField,
  FingerprintTechnique,
  Party,
  TrackerPurpose,
  VisitKind,
} from './browser/types.ts';
import type { GatherError } from './gather-error.ts';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'error' | 'skipped';
export type Category =
  'transport' | 'headers' | 'cookies' | 'content' | 'disclosure' | 'domain' | 'privacy' | 'accessibility';

// In its own file so browser/types.ts can use it without importing this file back (no cycle).
export type { GatherError } from './gather-error.ts';

/** Header names lower-cased; every value kept in order (Set-Cookie and duplicated headers matter). */
export type Headers = Record<string, string[]>;

export interface ResponseArtefact {
  url: string;
  status: number;
  headers: Headers;
  /** Decoded text body, capped; undefined when not text or not read. */
  body?: string;
  bodyTruncated?: boolean;
  /** The IP the request actually connected to (after the SSRF guard). */
  remoteAddress?: string;
  /**
   * Set when the certificate of this https connection failed verification (the reason): the scan
   * went on without verification, as a browser user clicking through the warning would.
   */
  unverifiedTls?: string;
  timingMs: number;
}

/** A request that follows redirects hop by hop (max 5), each hop re-checked by the SSRF guard. */
export interface FetchChain {
  requestedUrl: string;
  hops: ResponseArtefact[];
  /** The last hop, when the chain ended in a non-redirect response. */
  final?: ResponseArtefact;
  error?: GatherError;
}

export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

export interface CertificateFacts {
  subject: string;
  issuer: string;
  subjectAltNames: string[];
  validFrom: string;
  validTo: string;
  /** Whether the chain verified against the trust store in use (system CAs or --ca). */
  chainTrusted: boolean;
  chainError?: string;
  hostnameMatches: boolean;
  keyType: string;
  keyBits: number;
  signatureAlgorithm: string;
  selfSigned: boolean;
  /** Hex digests of the leaf certificate (DER) and its SubjectPublicKeyInfo, to match DANE TLSA records. */
  fingerprints?: { certSha256: string; certSha512: string; spkiSha256: string; spkiSha512: string };
}

export interface TlsArtefact {
  host: string;
  port: number;
  /** true offered, false refused, null could not be tested (e.g. the local OpenSSL cannot speak it). */
  versions: Record<TlsVersion, boolean | null>;
  negotiatedVersion?: string;
  cipher?: string;
  certificate?: CertificateFacts;
  error?: GatherError;
}

/** What raw ClientHellos learn about the TLS endpoint (gather/tls-details.ts): suites, groups, chain, extensions. */
export interface TlsDetailsArtefact {
  host: string;
  port: number;
  /** Accepted suites per version (OpenSSL names below TLS 1.3, IANA names in it), in the order found. */
  suites: Partial<Record<TlsVersion, string[]>>;
  /** Versions whose list stopped at the probe cap: more suites may be accepted. */
  incomplete: TlsVersion[];
  /** Key-exchange groups the server accepts (TLS 1.3 HelloRetryRequest, else the TLS 1.2 ServerKeyExchange). */
  groups?: string[];
  /** Smallest finite-field DH prime seen in a DHE key exchange, in bits. */
  dhBits?: number;
  /** The certificate chain as the server sent it (TLS 1.2 and below; TLS 1.3 encrypts it). */
  chain?: { subject: string; issuer: string }[];
  /** Each certificate is issued by the next one. */
  chainOrdered?: boolean;
  /** The last certificate sent is a root or is issued by a trusted root: nothing is missing. */
  chainComplete?: boolean;
  ocspStapled?: boolean;
  /** The server accepted DEFLATE compression (CRIME). */
  compression?: boolean;
  /** The server supports secure renegotiation (RFC 5746 renegotiation_info). */
  secureRenegotiation?: boolean;
  /** What could not be tested from here, each with the reason. */
  untested: string[];
  /** Raw ClientHellos sent. */
  probes: number;
  error?: GatherError;
}

export interface HtmlArtefact {
  /** `<meta http-equiv="Content-Security-Policy" content>` values in document order. */
  metaCsp: string[];
  /** `<meta name="referrer" content>` values in document order. */
  metaReferrer?: string[];
  /**
   * `<script src>` elements with an http(s) URL, resolved. `rawSrc` keeps the attribute as written
   * when it was not an absolute URL (`/app.js`, `//cdn.example/x.js`): Observatory judges the form.
   */
  scripts: { src: string; rawSrc?: string; integrity?: string; crossorigin?: string }[];
  /** Every `<script>` element, inline ones included. */
  scriptElements?: number;
  stylesheets: { href: string; integrity?: string; crossorigin?: string }[];
  forms: { action: string; method: string; hasPassword: boolean }[];
  /** Absolute URLs of passive (img, audio, video, source) and active (script, link, iframe, object) subresources. */
  subresources: { url: string; kind: 'active' | 'passive'; tag: string }[];
  /** Absolute http(s) URLs of `<a href>` and `<area href>`, fragment removed (what the page crawl follows). */
  links?: string[];
  error?: GatherError;
}

export interface SecurityTxtArtefact {
  url: string;
  status?: number;
  contentType?: string;
  body?: string;
  /** Final URL after redirects (RFC 9116 §3 allows redirects within the same host). */
  finalUrl?: string;
  error?: GatherError;
}

export interface CorsProbeArtefact {
  origin: string;
  status?: number;
  headers: Headers;
  error?: GatherError;
}

export interface ExposedFileArtefact {
  path: string;
  status?: number;
  contentType?: string;
  /** First bytes of the body, capped, for evidence. */
  snippet?: string;
  error?: GatherError;
}

/** One active probe of a path (directory listing, TRACE): status, type and the first bytes. */
export interface ProbeArtefact {
  path: string;
  method?: 'GET' | 'TRACE';
  status?: number;
  contentType?: string;
  /** First bytes of the body, capped, for evidence. */
  snippet?: string;
  error?: GatherError;
}

/** One DNS question and its answer, record data as presentation text (capped; hostile). */
export interface DnsLookup {
  name: string;
  type: string;
  rcode?: string;
  /** The resolver's AD bit: the answer was validated with DNSSEC. */
  authenticated?: boolean;
  /** TXT: the strings of each record joined; MX: `10 mx.example.`; CAA: `0 issue "ca.example"`; TLSA: `3 1 1 <hex>`. */
  records: string[];
  error?: GatherError;
}

/** One more page of the same origin, fetched by the crawl (gather/pages.ts); bodies are not kept. */
export interface PageArtefact {
  url: string;
  chain: FetchChain;
  html?: HtmlArtefact;
}

/** The crawl: robots.txt, sitemap.xml and up to N same-origin pages besides the target. */
export interface PagesArtefact {
  robotsTxt?: { url: string; status?: number; error?: GatherError };
  sitemap?: { url: string; status?: number; urls: number; error?: GatherError };
  pages: PageArtefact[];
  /** Candidate URLs not fetched, by reason. */
  skipped: { robots: number; limit: number };
  error?: GatherError;
}

/** DNS facts of the scanned host and its registrable domain, asked of one resolver (gather/dns.ts). */
export interface DnsArtefact {
  /** host:port of the recursive resolver that answered. */
  server: string;
  host: string;
  /** Registrable domain (public-suffix aware): where mail policy records live. */
  domain: string;
  /** The host's A record, asked with AD: the DNSSEC validation status. */
  address: DnsLookup;
  /** Only when `address` failed with SERVFAIL: the same question with CD set (NOERROR then means bogus). */
  addressUnchecked?: DnsLookup;
  /** DNSKEY of the registrable domain: is the zone signed at all? */
  dnskey: DnsLookup;
  /** CAA at the host and each parent up to the registrable domain, closest first (RFC 8659 §3). */
  caa: DnsLookup[];
  mx: DnsLookup;
  /** TXT at the registrable domain (SPF lives here). */
  txt: DnsLookup;
  dmarc: DnsLookup;
  mtaSts: DnsLookup;
  tlsRpt: DnsLookup;
  /** TLSA at _443._tcp.<host> (DANE, RFC 6698). */
  tlsa: DnsLookup;
  /** The MTA-STS policy file, fetched through the guarded fetcher when an MTA-STS record exists. */
  mtaStsPolicy?: { url: string; status?: number; contentType?: string; body?: string; error?: GatherError };
  error?: GatherError;
}

export interface HstsPreloadArtefact {
  /** Date of the preload list's content. */
  listDate: string;
  /** Each host once, in the order met; `entry` when a listed name covers it. */
  hosts: { host: string; entry?: { name: string; includeSubDomains: boolean } }[];
}

export interface Artefacts {
  /** The normalised URL the user asked for (any path and port). */
  target: string;
  /** GET of the target, following redirects. */
  page: FetchChain;
  /** GET of the same host and path over plain http (absent when the target port is non-default https only). */
  httpRedirect?: FetchChain;
  tls?: TlsArtefact;
  html?: HtmlArtefact;
  securityTxt?: SecurityTxtArtefact;
  cors?: CorsProbeArtefact;
  /** Only with --active. */
  exposedFiles?: ExposedFileArtefact[];
  /** Only with --active: GETs of common directories, to spot auto-generated listings. */
  directoryListings?: ProbeArtefact[];
  /** Only with --active: one TRACE request to the origin. */
  trace?: ProbeArtefact;
  /** Cipher suites, groups, chain, OCSP, compression, renegotiation (raw ClientHellos). */
  tlsDetails?: TlsDetailsArtefact;
  /** Up to `pages` more same-origin pages (links of the target page, sitemap.xml), robots.txt honoured. */
  pages?: PagesArtefact;
  /** DNS and mail-policy records of the target's domain; absent for IP literals and special-use names. */
  dns?: DnsArtefact;
  /** Only with the browser stage (`browser: true`, CLI `--browser`): three real-browser visits (browser/types.ts). */
  browser?: BrowserArtefact;
  /** HSTS preload status of the target's host and every host its page and http:// chains passed through. */
  hstsPreload?: HstsPreloadArtefact;
  timings: Record<string, number>;
  /** Optional probes cut at the probe deadline (their artefacts record `probe_cut`). */
  cut?: string[];
}

export type ArtefactName = Exclude<keyof Artefacts, 'target' | 'timings' | 'cut'>;

export interface FindingDraft {
  /** Outcome id, starts with the check id: `hsts-max-age-too-short`. */
  outcome: string;
  title: string;
  evidence: string;
  /** Optional override of the score table's severity for this outcome. */
  severity?: Severity;
  /** A fix for this finding in particular (the script to remove or gate, its host named); default: the check's. */
  remediation?: string;
}

export interface CheckRunResult {
  outcome: string;
  status: CheckStatus;
  evidence: string;
  findings: FindingDraft[];
}

export interface Check {
  id: string;
  category: Category;
  title: string;
  failureTitle: string;
  description: string;
  remediation: string;
  references: string[];
  requires: ArtefactName[];
  /** Every outcome id run() can return, with a one-line meaning (docs/checks.md is generated from it). */
  outcomes: Record<string, string>;
  /**
   * An active check: its artefacts come from probes a passive scan never sends (sensitive paths,
   * TRACE). They are gathered only with `active: true` (CLI `--active`, verified sites in the
   * service); otherwise the check is `skipped`.
   */
  active?: true;
  /** When true, run() is called even if a required artefact recorded an error (it judges the error itself). */
  handlesArtefactErrors?: boolean;
  /** `context.now` is the scan's clock: checks never read the system clock, so replays are deterministic. */
  run(artefacts: Artefacts, context?: CheckContext): CheckRunResult;
}

export interface CheckContext {
  now: Date;
}

export interface CheckResult {
  id: string;
  category: Category;
  title: string;
  status: CheckStatus;
  outcome: string;
  scoreModifier: number;
  evidence: string;
}

export interface Finding {
  id: string;
  checkId: string;
  /** The category of the check that raised it. */
  category: Category;
  outcome: string;
  severity: Severity;
  title: string;
  evidence: string;
  remediation: string;
  references: string[];
  /** Days to fix, from the score table by severity (critical 1, high 3, medium 30, low 90); absent for info. */
  remediationDays?: number;
  /** Set when a suppression file accepts this finding. */
  accepted?: { reason: string; expires: string };
}

/** Rough work to fix a root cause: a header or setting (minutes), a server change (hours), a project (days). */
export type Effort = 'minutes' | 'hours' | 'days';

/** One piece of work that resolves one or more findings (report/root-causes.ts groups them). */
export interface RootCause {
  /** A group's id (`https-only`, `tls-configuration`…) or, for a check that is its own cause, the check id. */
  id: string;
  title: string;
  /** What to do, said once for every finding it resolves. */
  fix: string;
  effort: Effort;
  /** The worst severity among its findings. */
  severity: Severity;
  /** Ids of the findings (in `findings`) it resolves. */
  findings: string[];
  /** The overall score and grade with this cause alone fixed: the report re-scored without its findings. */
  scoreAfter: number;
  gradeAfter: string;
}

/** What to fix first: every open finding under one root cause, and the few causes that lift the grade most. */
export interface Priorities {
  /** Every finding not accepted as a risk, under exactly one cause; the largest lift first. */
  rootCauses: RootCause[];
  /** The causes to fix first, in order (at most three); each step's score counts the steps above it. */
  fixFirst: { id: string; scoreAfter: number; gradeAfter: string }[];
}

export interface CategoryResult {
  category: Category;
  score: number;
  grade: string;
}

export interface Report {
  schemaVersion: 1;
  scoringVersion: number;
  target: string;
  finalUrl?: string;
  startedAt: string;
  finishedAt: string;
  timings: Record<string, number>;
  /** A+ … F; null when the site could not be scanned at all (`error` says why): not graded, never F 0. */
  grade: string | null;
  score: number | null;
  /** The MDN HTTP Observatory-compatible grade of the headers (docs/scoring.md); null when not graded. */
  headersScore: number | null;
  headersGrade: string | null;
  /**
   * Set when a finding capped the grade whatever else the site gets right (an untrusted, expired or
   * wrong-host certificate caps it at F, as SSL Labs does): the cap and the outcomes that imposed it.
   */
  gradeCap?: { grade: string; outcomes: string[] };
  /** Empty when not graded. */
  categories: CategoryResult[];
  checks: CheckResult[];
  findings: Finding[];
  /** The final page's response headers (capped), shown raw on demand; absent when not graded. */
  responseHeaders?: Record<string, string[]>;
  /** Root causes and "fix these first"; absent when not graded. */
  priorities?: Priorities;
  /** Optional probes that were still running at the probe deadline and were cut (their checks say so). */
  cutProbes?: string[];
  /** Only when the browser stage ran (`--browser`): what the three visits saw (privacy/summary.ts). */
  privacy?: PrivacyReport;
  /** Only when the browser stage ran: axe-core's violations on the first visit's page. */
  accessibility?: AccessibilitySummary;
  /** Present when the target could not be scanned at all (DNS, connection, blocked). */
  error?: GatherError;
}

// ---- The report's privacy and accessibility summaries (built from artefacts.browser) ----
// Every string came from a hostile page (or from VIOscan's own lists): capped here, escaped by renderers.

export interface PrivacyVisitSummary {
  kind: VisitKind;
  /** `before consent`, `after you rejected`, `with GPC`. */
  label: string;
  url: string;
  finalUrl?: string;
  title?: string;
  durationMs: number;
  requests: number;
  thirdPartyRequests: number;
  trackerRequests: number;
  cookies: number;
  /** Requests VIOscan's guard refused (internal addresses): never fetched. */
  blocked: number;
  error?: GatherError;
}

export interface PrivacyThirdParty {
  /** From VIOscan's owner map; the registrable domain when the owner is not known. */
  company: string;
  purpose: TrackerPurpose | 'unknown';
  domains: string[];
  /** A tracker: on EasyPrivacy/EasyList, or a tracking purpose in the owner map. */
  tracker: boolean;
  /** Requests made to it in each visit (a visit that made none is absent). */
  requests: Partial<Record<VisitKind, number>>;
}

export interface PrivacyCookie {
  visit: VisitKind;
  name: string;
  domain: string;
  party: Party;
  /** Days from the visit to its expiry; null for a session cookie. */
  lifetimeDays: number | null;
  via: 'http' | 'js';
  /** The response or script that set it, when known. */
  setBy?: string;
  /** Set by or for a tracker (privacy/facts.ts `trackingCookies`). */
  tracking: boolean;
  /** Chromium refused to store it (CDP's reasons, e.g. `SameSiteNoneInsecure`); listed from the response that sent it. */
  blockedReasons?: string[];
}

export interface PrivacyFingerprint {
  technique: FingerprintTechnique;
  script: string;
  party: Party;
  evidence: string;
  visits: VisitKind[];
}

export interface PrivacyStorage {
  area: 'localStorage' | 'sessionStorage' | 'indexedDB';
  origin: string;
  key: string;
  valuePreview: string;
  /** The writing script, when known. */
  script?: string;
  party: Party;
  visits: VisitKind[];
}

/** A canary typed into a field (never submitted) that left the page anyway. */
export interface PrivacyKeyLogging {
  field: CanaryField;
  encoding: CanaryEncoding;
  where: 'url' | 'body' | 'beacon' | 'websocket';
  /** Where it was sent. */
  requestUrl: string;
  /** The script that sent it, when known. */
  initiator?: string;
  party: Party;
  evidence: string;
  visits: VisitKind[];
}

export interface PrivacyConsent {
  /** honoured: no tracking after the rejection · ignored: tracking cookies after it · trackers-contacted: trackers
   *  still loaded, no tracking cookies · failed: a banner was found but could not be rejected · no-banner ·
   *  not-run: no `reject` visit. */
  result: 'honoured' | 'ignored' | 'trackers-contacted' | 'failed' | 'no-banner' | 'not-run';
  cmp?: string;
  popupFound: boolean;
  rejected: boolean;
  selfTest?: boolean;
  /** Trackers contacted after the rejection (the reload), by domain. */
  stillLoaded: {
    domain: string;
    company: string;
    purpose: TrackerPurpose | 'unknown';
    requests: number;
    example: string;
  }[];
  /** Tracking cookies in the jar after the rejection (`name` on `domain`). */
  trackingCookies: { name: string; domain: string }[];
}

export interface PrivacyGpc {
  headerSent: boolean;
  navigatorValue: boolean;
  wellKnown?: { status?: number; gpc?: boolean; lastUpdate?: string; error?: string };
  /** No tracker was contacted and no tracking cookie set with GPC on. */
  honoured: boolean;
  trackers: string[];
  trackingCookies: { name: string; domain: string }[];
}

export interface PrivacyReport {
  browser: {
    product: string;
    thirdPartyCookies: 'allowed';
    /** Says how cookies were observed, for the reader. */
    note: string;
  };
  /** Tracker lists and the owner map in use, with their dates and licences. */
  lists: { id: string; name: string; date: string; licence: string }[];
  visits: PrivacyVisitSummary[];
  thirdParties: PrivacyThirdParty[];
  cookies: PrivacyCookie[];
  /** More cookies than the cap were seen; counted, not listed. */
  cookiesDropped?: number;
  fingerprinting: PrivacyFingerprint[];
  /** Storage written by the page (absent in reports made before it was summarised). */
  storage?: PrivacyStorage[];
  /** Typed values that left the page (absent in reports made before it was summarised). */
  keyLogging?: PrivacyKeyLogging[];
  consent: PrivacyConsent;
  gpc?: PrivacyGpc;
  /** The browser stage could not run at all (no Chromium, launch failed). */
  error?: GatherError;
}

export interface AccessibilityRuleSummary {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical';
  /** WCAG conformance level from the rule's tags; `best practice` when it is not a WCAG criterion. */
  level: 'A' | 'AA' | 'AAA' | 'best practice';
  help: string;
  helpUrl: string;
  nodes: number;
  /** The first affected element's selector. */
  selector?: string;
}

export interface AccessibilitySummary {
  engine: string;
  url: string;
  violations: number;
  byImpact: Record<'critical' | 'serious' | 'moderate' | 'minor', number>;
  byLevel: Record<'A' | 'AA' | 'AAA' | 'best practice', number>;
  rules: AccessibilityRuleSummary[];
  error?: GatherError;
}
