/**
 * What a visit records as it happens: every request of every frame (Playwright's context events),
 * its initiator script (CDP's requestWillBeSent, matched by URL at the end), statuses and failures,
 * Set-Cookie lines with the time they arrived, the cookies Chromium refused to store with its reasons
 * (CDP's responseReceivedExtraInfo.blockedCookies), WebSocket frames, the instrument's records; and
 * the cookie jar at the end (Storage.getCookies via context.cookies(): HttpOnly, JavaScript-set and
 * third-party cookies alike), each cookie with who set it and when.
 */
import type { BrowserContext, Page, Request, Response } from 'playwright-core';
import { cookieWriter } from './instrument.ts';
import type { RawCookie, RawRequest, RawVisit } from './types.ts';

const MAX_REQUESTS = 1000;
const MAX_BLOCKED_COOKIES = 200;
export const MAX_POST_DATA = 4096;
export const MAX_FRAMES = 200;
export const MAX_URL = 2048;

export interface CdpInitiator {
  type: string;
  url?: string;
  stack?: { callFrames: { url: string }[]; parent?: CdpInitiator['stack'] };
}

/** The script that caused a request: the parser's document, or the innermost stack frame with a URL. */
export function initiatorScript(initiator: CdpInitiator | undefined): string | undefined {
  if (!initiator) return undefined;
  if (initiator.type === 'parser') return initiator.url;
  for (let stack = initiator.stack; stack; stack = stack.parent) {
    const frame = stack.callFrames.find((f) => f.url);
    if (frame) return frame.url;
  }
  return undefined;
}

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

/** A cookie as CDP describes it (Network.Cookie), the fields a record needs. */
interface CdpCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  /** Seconds since the epoch; -1 for a session cookie. */
  expires: number;
  httpOnly: boolean;
  secure: boolean;
  sameSite?: 'Strict' | 'Lax' | 'None';
  partitionKey?: unknown;
}

/** CDP's Network.responseReceivedExtraInfo, the part about cookies the response tried to set. */
export interface CdpResponseExtraInfo {
  requestId: string;
  blockedCookies: { blockedReasons: string[]; cookieLine: string; cookie?: CdpCookie }[];
}

const attribute = (line: string, name: string) => new RegExp(`;\\s*${name}\\s*(=|;|$)`, 'i').test(line);

/**
 * A cookie Chromium refused to store, as the response sent it. CDP parses the line when it can; a line
 * it could not parse (SyntaxError, some InvalidDomain) keeps its name, value and the flags it names.
 */
function refusedCookie(
  entry: CdpResponseExtraInfo['blockedCookies'][number],
  url: string,
  atMs: number,
): RawCookie | undefined {
  const c = entry.cookie;
  const line = entry.cookieLine;
  const target = c ? { name: c.name, domain: c.domain } : setCookieTarget(line, url);
  if (!target) return undefined;
  const session = c ? c.expires === -1 : !attribute(line, 'max-age') && !attribute(line, 'expires');
  const value =
    c?.value ??
    line
      .slice(line.indexOf('=') + 1)
      .split(';')[0]!
      .trim();
  return {
    name: target.name.slice(0, 200),
    value: value.slice(0, 200),
    domain: target.domain.slice(0, 253),
    path: (c?.path ?? /;\s*path\s*=\s*([^;\s]*)/i.exec(line)?.[1] ?? '/').slice(0, 200),
    ...(c && !session && { expires: new Date(c.expires * 1000).toISOString() }),
    session,
    httpOnly: c?.httpOnly ?? attribute(line, 'httponly'),
    secure: c?.secure ?? attribute(line, 'secure'),
    ...(c?.sameSite && { sameSite: c.sameSite }),
    partitioned: c ? c.partitionKey !== undefined : attribute(line, 'partitioned'),
    setBy: { via: 'http', url: url.slice(0, MAX_URL) },
    blockedReasons: entry.blockedReasons.slice(0, 5).map((r) => r.slice(0, 60)),
    setAtMs: atMs,
  };
}

export class Recorder {
  readonly started = Date.now();
  readonly requests: RawRequest[] = [];
  dropped = 0;
  readonly byRequest = new Map<Request, RawRequest>();
  readonly initiators = new Map<string, (string | undefined)[]>();
  readonly websocketFrames: RawVisit['websocketFrames'] = [];
  readonly instrument: RawVisit['instrument'] = [];
  readonly httpCookies = new Map<string, { url: string; atMs: number }>();
  /** CDP request id → URL, to name the response of a responseReceivedExtraInfo. */
  readonly requestUrls = new Map<string, string>();
  /** Cookies Chromium refused to store, by name, domain and path (the last refusal wins). */
  readonly refusedCookies = new Map<string, RawCookie>();
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
  onCdpRequest(event: { requestId?: string; request: { url: string }; initiator?: CdpInitiator }): void {
    if (event.requestId && this.requestUrls.size < MAX_REQUESTS * 2)
      this.requestUrls.set(event.requestId, event.request.url);
    const list = this.initiators.get(event.request.url) ?? [];
    if (list.length < 50) list.push(initiatorScript(event.initiator));
    this.initiators.set(event.request.url, list);
  }

  /**
   * The Set-Cookie lines Chromium refused (SameSite=None without Secure, a third party's cookie
   * without SameSite=None, a foreign Domain, …): the site still tried to set them, so they are
   * reported with Chromium's reasons. Third-party cookies are allowed (pool.ts), so these are refusals
   * any Chrome would make.
   */
  onResponseExtraInfo(event: CdpResponseExtraInfo): void {
    if (event.blockedCookies.length === 0) return;
    const url = this.requestUrls.get(event.requestId) ?? '';
    const atMs = this.at();
    for (const entry of event.blockedCookies) {
      const cookie = refusedCookie(entry, url, atMs);
      if (!cookie) continue;
      const key = `${cookieKey(cookie.name, cookie.domain)}\0${cookie.path}`;
      if (this.refusedCookies.size < MAX_BLOCKED_COOKIES || this.refusedCookies.has(key))
        this.refusedCookies.set(key, cookie);
    }
  }

  attachInitiators(): void {
    for (const raw of this.requests) {
      const list = this.initiators.get(raw.url);
      const initiator = list?.shift();
      if (initiator) raw.initiator = initiator.slice(0, MAX_URL);
    }
  }
}

/** The jar's cookies, then the ones Chromium refused to store (unless the jar holds one by that name, domain and path). */
export async function readCookies(context: BrowserContext, recorder: Recorder): Promise<RawCookie[]> {
  const jar = await context.cookies();
  const stored = jar.map((c): RawCookie => {
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
  const inJar = new Set(stored.map((c) => `${cookieKey(c.name, c.domain)}\0${c.path}`));
  const refused = [...recorder.refusedCookies].filter(([key]) => !inJar.has(key)).map(([, c]) => c);
  return [...stored, ...refused];
}
