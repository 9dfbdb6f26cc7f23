/**
 * Real-Chromium harness for the instrumentation and canary tests: Debian's chromium through
 * playwright-core (CHROMIUM_PATH overrides), a loopback fixture server whose second name
 * (`localhost`) plays the third party, and a minimal recorder doing what the browser runtime does:
 * the binding + init script, and CDP requests with their initiator script.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Classifier } from '../../../src/scanner/browser/classify.ts';
import { INSTRUMENT_SCRIPT, parseRecord, RECORD_BINDING } from '../../../src/scanner/browser/instrument.ts';
import { initiatorScript, type CdpInitiator } from '../../../src/scanner/browser/recorder.ts';
import type { InstrumentRecord, RawRequest, RawVisit } from '../../../src/scanner/browser/types.ts';
import { tinyClassifier } from './helpers.ts';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium',
    headless: true,
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
}

export interface Fixtures {
  /** First party: http://127.0.0.1:port */
  first: string;
  /** Third party: http://localhost:port (another registrable name, same loopback server). */
  third: string;
  /** Bodies the server received, by path. */
  received: { path: string; body: string }[];
  close(): Promise<void>;
}

type Files = Record<string, [contentType: string, body: string]>;

/** Serves `files(origins)` (path → content) on 127.0.0.1; any POST is recorded and answered 204. */
export async function serveFixtures(
  files: (origins: { first: string; third: string }) => Files,
): Promise<Fixtures> {
  const received: Fixtures['received'] = [];
  let served: Files = {};
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!;
      if (req.method === 'POST') {
        received.push({ path, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(204).end();
        return;
      }
      const file = Object.hasOwn(served, path) ? served[path] : undefined;
      if (!file) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': file[0], 'cache-control': 'no-store' }).end(file[1]);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origins = { first: `http://127.0.0.1:${port}`, third: `http://localhost:${port}` };
  served = files(origins);
  return {
    ...origins,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export const html = (body: string): [string, string] => [
  'text/html; charset=utf-8',
  `<!doctype html><html><head><title>fixture</title></head><body>${body}</body></html>`,
];
export const js = (source: string): [string, string] => ['text/javascript', source];

export interface Recording {
  page: Page;
  instrument: InstrumentRecord[];
  requests: RawRequest[];
  /** The visit so far as detect() takes it. */
  visit(canariesTyped?: boolean): RawVisit;
  close(): Promise<void>;
}

/** A fresh context with the instrumentation and a CDP request log, on `url`, waiting for `title` when given. */
export async function record(browser: Browser, url: string, waitForTitle?: string): Promise<Recording> {
  const context = await browser.newContext();
  const started = Date.now();
  const instrument: InstrumentRecord[] = [];
  await context.exposeBinding(RECORD_BINDING, (_source, payload: unknown) => {
    const parsed = parseRecord(payload, started);
    if (parsed) instrument.push(parsed);
  });
  await context.addInitScript({ content: INSTRUMENT_SCRIPT });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const requests: RawRequest[] = [];
  let mainFrameId: string | undefined;
  cdp.on('Network.requestWillBeSent', (event) => {
    mainFrameId ??= event.frameId;
    requests.push({
      url: event.request.url,
      method: event.request.method,
      type: (event.type ?? 'Other').toLowerCase(),
      initiator: initiatorScript(event.initiator as CdpInitiator),
      postData: event.request.postData,
      atMs: Date.now() - started,
      frame: event.frameId === mainFrameId ? 'main' : 'sub',
    });
  });
  await cdp.send('Network.enable');
  await page.goto(url);
  if (waitForTitle) await page.waitForFunction(`document.title === ${JSON.stringify(waitForTitle)}`);
  return {
    page,
    instrument,
    requests,
    visit: (canariesTyped = false) => ({
      kind: 'none',
      url,
      finalUrl: page.url(),
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      requests: [...requests],
      websocketFrames: [],
      cookies: [],
      instrument: [...instrument],
      canariesTyped,
      blocked: [],
    }),
    close: () => context.close(),
  };
}

export interface Suite {
  browser: Browser;
  site: Fixtures;
  classifier: Classifier;
  close(): Promise<void>;
}

/** What every Chromium test file shares: one browser, the fixture server and a classifier. */
export async function startSuite(files: Parameters<typeof serveFixtures>[0]): Promise<Suite> {
  const site = await serveFixtures(files);
  const browser = await launchChromium();
  const { classifier, cleanup } = await tinyClassifier();
  return {
    browser,
    site,
    classifier,
    close: async () => {
      await browser.close();
      await site.close();
      await cleanup();
    },
  };
}
