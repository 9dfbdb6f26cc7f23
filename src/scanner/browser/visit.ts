/**
 * One visit in a fresh browser context behind its own guarded proxy: the instrumentation before any
 * page script, every request of every frame (Playwright's context events; the initiator script from
 * CDP's requestWillBeSent), Set-Cookie lines as they arrive and the ones Chromium refused (CDP's
 * responseReceivedExtraInfo), WebSocket frames sent, then the cookie jar (Storage.getCookies through
 * context.cookies(): HttpOnly, JavaScript-set and third-party cookies alike), canaries typed without
 * submitting, and a screenshot of the first view.
 *
 * Never throws: a visit that fails or runs out of time returns what it recorded with `error`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, CDPSession } from 'playwright-core';
import type { PrivateAccess } from '../gather/address-policy.ts';
import type { Resolver } from '../gather/guard.ts';
import { runAxe } from './axe.ts';
import { typeCanaries } from './canaries.ts';
import { installAutoconsent, type ConsentSession } from './consent.ts';
import { INSTRUMENT_SCRIPT, parseRecord, RECORD_BINDING } from './instrument.ts';
import { NetworkQuiet } from './network-quiet.ts';
import { startGuardedProxy } from './proxy.ts';
import { MAX_FRAMES, MAX_POST_DATA, MAX_URL, readCookies, Recorder } from './recorder.ts';
import { wellKnownGpc } from './well-known-gpc.ts';
import type {
  AccessibilityArtefact,
  ConsentOutcome,
  GpcState,
  RawCookie,
  RawVisit,
  VisitKind,
} from './types.ts';

export interface VisitOptions {
  kind: VisitKind;
  url: string;
  browser: Browser;
  allowPrivate?: PrivateAccess;
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

const VIEWPORT = { width: 1280, height: 800 };
/** How long after the load event requests are still watched (beacons, lazy tags), at most. */
const SETTLE_MS = 2500;
/** Nothing in flight for this long counts as the network gone quiet. */
const QUIET_MS = 300;
/** autoconsent's own budget: detection retries and clicks (docs: 10–15 s per page). */
const CONSENT_MS = 12_000;
const NO_BANNER_MS = 4000;

const GPC_SCRIPT = `Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true, enumerable: true });`;

async function quietly<T>(work: Promise<T>): Promise<T | undefined> {
  return work.catch(() => undefined);
}

/** `work`'s value, or undefined once it fails or `ms` have passed (a browser that stopped answering). */
async function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([quietly(work), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** How long cleanup waits for a context still being created when the visit ended. */
const CONTEXT_LATE_MS = 5000;

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
  let contextPending: Promise<BrowserContext> | undefined;
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
    contextPending = options.browser.newContext({
      proxy: { server: proxy.url },
      serviceWorkers: 'block',
      acceptDownloads: false,
      viewport: VIEWPORT,
      ...(options.kind === 'gpc' && { extraHTTPHeaders: { 'Sec-GPC': '1' } }),
      ...(evidence && {
        recordHar: { path: path.join(evidence, `${options.kind}.har`), content: 'omit' as const },
      }),
    });
    context = await contextPending;
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
    const network = new NetworkQuiet(context);
    const settle = (ms: number) => network.settle(QUIET_MS, Math.min(ms, left()));
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
    cdp.on('Network.responseReceivedExtraInfo', (e) => recorder.onResponseExtraInfo(e as never));
    await cdp.send('Network.enable');

    await page.goto(options.url, { waitUntil: 'load', timeout: Math.max(1000, left()) });
    await settle(SETTLE_MS);

    if (consentSession) {
      consent = await consentSession.settle(Math.min(CONSENT_MS, left() - 3000), NO_BANNER_MS);
      if (consent.rejected) {
        consent.reloadedAtMs = recorder.at();
        await page.reload({ waitUntil: 'load', timeout: Math.max(1000, left()) });
        await settle(SETTLE_MS);
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
    if (canariesTyped) await settle(1500);
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
    // Navigation waits are bounded by the time left, so at the deadline Playwright's own
    // TimeoutError can beat our timer: both mean the visit outlived its limit.
    const timedOut =
      e instanceof VisitAborted ? message === 'timeout' : (e as Error)?.name === 'TimeoutError';
    error = timedOut
      ? { code: 'timeout', message: `the ${options.kind} visit took longer than ${options.timeoutMs} ms` }
      : e instanceof VisitAborted
        ? { code: 'aborted', message: `the ${options.kind} visit was stopped` }
        : { code: 'visit_failed', message: `the ${options.kind} visit failed: ${message.slice(0, 300)}` };
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  }

  // A visit stopped (time limit, abort) while its context was being created still closes that context
  // once it exists: otherwise it would stay open in the shared browser.
  const ctx =
    (context as BrowserContext | undefined) ??
    (contextPending ? await within(contextPending, CONTEXT_LATE_MS) : undefined);
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
