/**
 * One visit in a fresh browser context behind its own guarded proxy: the instrumentation before any
 * page script, every request of every frame (Playwright's context events; the initiator script from
 * CDP's requestWillBeSent), Set-Cookie lines as they arrive, WebSocket frames sent, then the cookie
 * jar (Storage.getCookies through context.cookies(): HttpOnly, JavaScript-set and third-party
 * cookies alike), canaries typed without submitting, and a screenshot of the first view.
 *
 * Never throws: a visit that fails or runs out of time returns what it recorded with `error`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, CDPSession, Page, Request, Response } from 'playwright-core';
import type { Resolver } from '../gather/guard.ts';
import { createSafeFetcher } from '../gather/safe-fetch.ts';
import { runAxe } from './axe.ts';
import { typeCanaries } from './canaries.ts';
import { installAutoconsent, type ConsentSession } from './consent.ts';
import { cookieWriter, INSTRUMENT_SCRIPT, parseRecord, RECORD_BINDING } from './instrument.ts';
import { startGuardedProxy } from './proxy.ts';
import type {
  AccessibilityArtefact,
  ConsentOutcome,
  GpcState,
  RawCookie,
  RawRequest,
  RawVisit,
  VisitKind,
} from './types.ts';

export interface VisitOptions {
  kind: VisitKind;
  url: string;
  browser: Browser;
  allowPrivate?: boolean;
  resolver?: Resolver;
  /** Extra trusted CAs (--ca): the browser trusts them by key (pool.ts), the gpc.json fetch by certificate. */
  ca?: string[];
  /** --header values, sent to the target's host only. */
  headers?: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  /** HAR, cookies, storage and the screenshot of this visit go here (--evidence). */
  evidenceDir?: string;
  /** Run axe-core in the page once it has loaded (the first visit). */
  accessibility?: boolean;
}

export interface VisitRecording {
  raw: RawVisit;
  accessibility?: AccessibilityArtefact;
}

export const MAX_REQUESTS = 1000;
const MAX_POST_DATA = 4096;
const MAX_FRAMES = 200;
const MAX_URL = 2048;
const VIEWPORT = { width: 1280, height: 800 };
/** How long after the load event requests are still watched (beacons, lazy tags), at most. */
const SETTLE_MS = 2500;
/** autoconsent's own budget: detection retries and clicks (docs: 10–15 s per page). */
const CONSENT_MS = 12_000;
const NO_BANNER_MS = 4000;

interface CdpInitiator {
  type: string;
  url?: string;
  stack?: { callFrames: { url: string }[]; parent?: CdpInitiator['stack'] };
}

function initiatorScript(initiator: CdpInitiator | undefined): string | undefined {
  if (!initiator) return undefined;
  if (initiator.type === 'parser') return initiator.url;
  for (let stack = initiator.stack; stack; stack = stack.parent) {
    const frame = stack.callFrames.find((f) => f.url);
    if (frame) return frame.url;
  }
  return undefined;
}

const GPC_SCRIPT = `Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true, enumerable: true });`;

/** The cookie name and domain a Set-Cookie line sets (RFC 6265 §5.2; host-only cookies take the response host). */
function setCookieTarget(line: string, responseUrl: string): { name: string; domain: string } | undefined {
  const eq = line.indexOf('=');
  if (eq <= 0) return undefined;
  const name = line.slice(0, eq).trim();
  const domainAttr = /;\s*domain\s*=\s*\.?([^;\s]+)/i.exec(line)?.[1];
  try {
    return { name, domain: (domainAttr ?? new URL(responseUrl).hostname).toLowerCase() };
  } catch {
    return undefined;
  }
}

const cookieKey = (name: string, domain: string) => `${name}\0${domain.replace(/^\./, '').toLowerCase()}`;

class Recorder {
  readonly started = Date.now();
  readonly requests: RawRequest[] = [];
  dropped = 0;
  readonly byRequest = new Map<Request, RawRequest>();
  readonly initiators = new Map<string, (string | undefined)[]>();
  readonly websocketFrames: RawVisit['websocketFrames'] = [];
  readonly instrument: RawVisit['instrument'] = [];
  readonly httpCookies = new Map<string, { url: string; atMs: number }>();
  mainPage?: Page;
  /** While axe-core runs: its canvas reads (colour contrast) would read as the page fingerprinting. */
  instrumentPaused = false;

  at(): number {
    return Date.now() - this.started;
  }

  onRequest(request: Request): void {
    if (this.requests.length >= MAX_REQUESTS) {
      this.dropped++;
      return;
    }
    let frame: RawRequest['frame'] = 'main';
    let frameUrl: string | undefined;
    try {
      const f = request.frame();
      frame = f.parentFrame() === null ? 'main' : 'sub';
      frameUrl = f.url() || undefined;
    } catch {
      // a service worker or a request without a frame
    }
    const post = request.postData();
    const raw: RawRequest = {
      url: request.url().slice(0, MAX_URL),
      method: request.method(),
      type: request.resourceType(),
      atMs: this.at(),
      frame,
      ...(frameUrl && { frameUrl: frameUrl.slice(0, MAX_URL) }),
      ...(post && { postData: post.slice(0, MAX_POST_DATA) }),
    };
    this.requests.push(raw);
    this.byRequest.set(request, raw);
  }

  onResponse(response: Response): void {
    const raw = this.byRequest.get(response.request());
    if (raw) raw.status = response.status();
    const atMs = this.at();
    void response
      .headerValues('set-cookie')
      .then((lines) => {
        for (const line of lines.flatMap((l) => l.split('\n'))) {
          const target = setCookieTarget(line, response.url());
          if (target)
            this.httpCookies.set(cookieKey(target.name, target.domain), {
              url: response.url().slice(0, MAX_URL),
              atMs,
            });
        }
      })
      .catch(() => undefined);
  }

  onFailed(request: Request): void {
    const raw = this.byRequest.get(request);
    if (raw) raw.failure = (request.failure()?.errorText ?? 'failed').slice(0, 200);
  }

  /** CDP's initiator per URL, in order: matched to the recorded requests at the end of the visit. */
  onCdpRequest(event: { request: { url: string }; initiator?: CdpInitiator }): void {
    const list = this.initiators.get(event.request.url) ?? [];
    if (list.length < 50) list.push(initiatorScript(event.initiator));
    this.initiators.set(event.request.url, list);
  }

  attachInitiators(): void {
    for (const raw of this.requests) {
      const list = this.initiators.get(raw.url);
      const initiator = list?.shift();
      if (initiator) raw.initiator = initiator.slice(0, MAX_URL);
    }
  }
}

async function readCookies(context: BrowserContext, recorder: Recorder): Promise<RawCookie[]> {
  const jar = await context.cookies();
  return jar.map((c): RawCookie => {
    const writer = cookieWriter(recorder.instrument, c);
    const http = recorder.httpCookies.get(cookieKey(c.name, c.domain));
    const jsWrite = writer
      ? [...recorder.instrument]
          .reverse()
          .find((r) => r.api === 'Document.cookie' && r.detail.name === c.name)
      : undefined;
    const setBy: RawCookie['setBy'] =
      writer && (!http || (jsWrite && jsWrite.atMs >= http.atMs))
        ? { via: 'js', ...(writer.script && { url: writer.script }) }
        : { via: 'http', ...(http && { url: http.url }) };
    const setAtMs = setBy.via === 'js' ? jsWrite?.atMs : http?.atMs;
    const session = c.expires === -1;
    return {
      name: c.name.slice(0, 200),
      value: c.value.slice(0, 200),
      domain: c.domain,
      path: c.path,
      ...(!session && { expires: new Date(c.expires * 1000).toISOString() }),
      session,
      httpOnly: c.httpOnly,
      secure: c.secure,
      ...(c.sameSite && { sameSite: c.sameSite }),
      partitioned: c.partitionKey !== undefined,
      setBy,
      ...(setAtMs !== undefined && { setAtMs }),
    };
  });
}

/** GET /.well-known/gpc.json with the passive scanner's fetcher (same guard, same CAs), no redirects. */
async function wellKnownGpc(pageUrl: string, options: VisitOptions): Promise<GpcState['wellKnown']> {
  const fetcher = createSafeFetcher({
    ...(options.allowPrivate !== undefined && { allowPrivate: options.allowPrivate }),
    ...(options.resolver && { resolver: options.resolver }),
    ...(options.ca && { ca: options.ca }),
    maxRedirects: 0,
    maxBodyBytes: 4096,
    timeouts: { totalMs: 5000 },
  });
  try {
    const response = await fetcher.request(new URL('/.well-known/gpc.json', pageUrl).href);
    if ('error' in response) return { error: response.error.message.slice(0, 200) };
    const wellKnown: NonNullable<GpcState['wellKnown']> = { status: response.status };
    if (response.status === 200) {
      try {
        const json = JSON.parse(response.body ?? '') as { gpc?: unknown; lastUpdate?: unknown };
        if (typeof json.gpc === 'boolean') wellKnown.gpc = json.gpc;
        if (typeof json.lastUpdate === 'string') wellKnown.lastUpdate = json.lastUpdate.slice(0, 40);
      } catch {
        wellKnown.error = 'not JSON';
      }
    }
    return wellKnown;
  } finally {
    await fetcher.destroy();
  }
}

async function quietly<T>(work: Promise<T>): Promise<T | undefined> {
  return work.catch(() => undefined);
}

/** Waits until the network has been quiet for a moment, at most `ms`. */
async function settle(page: Page, ms: number): Promise<void> {
  if (ms <= 0) return;
  await quietly(page.waitForLoadState('networkidle', { timeout: ms }));
}

class VisitAborted extends Error {}

export async function recordVisit(options: VisitOptions): Promise<VisitRecording> {
  const recorder = new Recorder();
  const proxy = await startGuardedProxy({
    ...(options.allowPrivate !== undefined && { allowPrivate: options.allowPrivate }),
    ...(options.resolver && { resolver: options.resolver }),
  });
  const deadline = recorder.started + options.timeoutMs;
  const left = () => deadline - Date.now();
  const evidence = options.evidenceDir;
  if (evidence) await mkdir(evidence, { recursive: true }).catch(() => undefined);
  let context: BrowserContext | undefined;
  let consent: ConsentOutcome | undefined;
  let gpc: GpcState | undefined;
  let canariesTyped = false;
  let title: string | undefined;
  let finalUrl: string | undefined;
  let screenshot: RawVisit['screenshot'];
  let cookies: RawCookie[] = [];
  let error: RawVisit['error'];
  let accessibility: AccessibilityArtefact | undefined;

  const work = async () => {
    context = await options.browser.newContext({
      proxy: { server: proxy.url },
      serviceWorkers: 'block',
      acceptDownloads: false,
      viewport: VIEWPORT,
      ...(options.kind === 'gpc' && { extraHTTPHeaders: { 'Sec-GPC': '1' } }),
      ...(evidence && {
        recordHar: { path: path.join(evidence, `${options.kind}.har`), content: 'omit' as const },
      }),
    });
    context.setDefaultTimeout(Math.max(1000, left()));
    await context.exposeBinding(RECORD_BINDING, (_source, payload: unknown) => {
      if (recorder.instrumentPaused || recorder.instrument.length >= 5000) return;
      const parsed = parseRecord(payload, recorder.started);
      if (parsed) recorder.instrument.push(parsed);
    });
    await context.addInitScript({ content: INSTRUMENT_SCRIPT });
    if (options.kind === 'gpc') await context.addInitScript({ content: GPC_SCRIPT });
    const consentSession: ConsentSession | undefined =
      options.kind === 'reject' ? await installAutoconsent(context) : undefined;
    if (options.headers) {
      const host = new URL(options.url).host;
      const extra = options.headers;
      await context.route(
        (url) => url.host === host,
        (route) => route.continue({ headers: { ...route.request().headers(), ...extra } }),
      );
    }
    context.on('request', (r) => recorder.onRequest(r));
    context.on('response', (r) => recorder.onResponse(r));
    context.on('requestfailed', (r) => recorder.onFailed(r));
    const page = await context.newPage();
    recorder.mainPage = page;
    // Pop-ups close, dialogs are dismissed: nothing waits for a visitor who is not there.
    context.on('page', (p) => {
      if (p !== page) void p.close().catch(() => undefined);
    });
    page.on('dialog', (d) => void d.dismiss().catch(() => undefined));
    page.on('websocket', (ws) => {
      ws.on('framesent', ({ payload }) => {
        if (recorder.websocketFrames.length >= MAX_FRAMES) return;
        const text = typeof payload === 'string' ? payload : payload.toString('utf8');
        recorder.websocketFrames.push({
          url: ws.url().slice(0, MAX_URL),
          payload: text.slice(0, MAX_POST_DATA),
        });
      });
    });
    const cdp: CDPSession = await context.newCDPSession(page);
    cdp.on('Network.requestWillBeSent', (e) => recorder.onCdpRequest(e as never));
    await cdp.send('Network.enable');

    await page.goto(options.url, { waitUntil: 'load', timeout: Math.max(1000, left()) });
    await settle(page, Math.min(SETTLE_MS, left()));

    if (consentSession) {
      consent = await consentSession.settle(Math.min(CONSENT_MS, left() - 3000), NO_BANNER_MS);
      if (consent.rejected) {
        consent.reloadedAtMs = recorder.at();
        await page.reload({ waitUntil: 'load', timeout: Math.max(1000, left()) });
        await settle(page, Math.min(SETTLE_MS, left()));
      }
    }
    screenshot = await quietly(
      page
        .screenshot({ type: 'jpeg', quality: 60, timeout: Math.max(1000, Math.min(5000, left())) })
        .then((buf) => ({
          mime: 'image/jpeg' as const,
          base64: buf.toString('base64'),
          ...VIEWPORT,
        })),
    );
    // Before the canaries: axe judges the page as it was served, not with our typing in it.
    if (options.accessibility) {
      recorder.instrumentPaused = true;
      accessibility = await runAxe(page);
      await quietly(page.evaluate('0')); // a round trip: axe's records queued before it are dropped too
      recorder.instrumentPaused = false;
    }
    canariesTyped = (await typeCanaries(page, Math.min(4000, left() - 2000))) > 0;
    if (canariesTyped) await settle(page, Math.min(1500, left()));
    if (options.kind === 'gpc') {
      const navigatorValue =
        (await quietly(page.evaluate('navigator.globalPrivacyControl === true'))) === true;
      gpc = { headerSent: true, navigatorValue, wellKnown: await wellKnownGpc(page.url(), options) };
    }
    title = (await quietly(page.title()))?.slice(0, 200);
    finalUrl = page.url();
  };

  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new VisitAborted('timeout')), Math.max(0, left()));
        onAbort = () => reject(new VisitAborted('aborted'));
        if (options.signal?.aborted) onAbort();
        options.signal?.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } catch (e) {
    const message = String((e as Error)?.message ?? e).split('\n')[0]!;
    error =
      e instanceof VisitAborted
        ? message === 'timeout'
          ? { code: 'timeout', message: `the ${options.kind} visit took longer than ${options.timeoutMs} ms` }
          : { code: 'aborted', message: `the ${options.kind} visit was stopped` }
        : { code: 'visit_failed', message: `the ${options.kind} visit failed: ${message.slice(0, 300)}` };
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  }

  const ctx = context as BrowserContext | undefined;
  if (ctx) {
    finalUrl ??= recorder.mainPage?.url();
    cookies = (await quietly(readCookies(ctx, recorder))) ?? [];
    if (evidence) {
      await quietly(
        writeFile(path.join(evidence, `${options.kind}.cookies.json`), JSON.stringify(cookies, null, 2)),
      );
      const storage = await quietly(ctx.storageState());
      if (storage)
        await quietly(
          writeFile(
            path.join(evidence, `${options.kind}.storage.json`),
            JSON.stringify(storage.origins, null, 2),
          ),
        );
      if (screenshot)
        await quietly(
          writeFile(path.join(evidence, `${options.kind}.jpeg`), Buffer.from(screenshot.base64, 'base64')),
        );
    }
    await quietly(ctx.close());
  }
  await proxy.close();
  recorder.attachInitiators();
  const raw: RawVisit = {
    kind: options.kind,
    url: options.url,
    ...(finalUrl && finalUrl !== 'about:blank' && { finalUrl }),
    ...(title && { title }),
    startedAt: new Date(recorder.started).toISOString(),
    durationMs: Date.now() - recorder.started,
    ...(error && { error }),
    requests: recorder.requests,
    ...(recorder.dropped > 0 && { requestsDropped: recorder.dropped }),
    websocketFrames: recorder.websocketFrames,
    cookies,
    instrument: recorder.instrument,
    canariesTyped,
    ...(consent && { consent }),
    ...(gpc && { gpc }),
    blocked: proxy.refused.map((r) => ({ url: r.url, reason: r.reason })),
    ...(screenshot && { screenshot }),
  };
  return { raw, ...(accessibility && { accessibility }) };
}
