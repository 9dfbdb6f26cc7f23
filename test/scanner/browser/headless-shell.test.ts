/**
 * Debian's `chromium-headless-shell` (the old headless mode) as the scanning engine: what a site can
 * tell apart from the full Chromium the stage uses by default. Both run as pool.ts launches them,
 * through a guarded proxy, on one loopback page that reports what it sees. The differences must be
 * exactly the ones docs/browser-detection.md lists: a new one fails here before it reaches a scan.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  closeBrowserPool,
  DEBIAN_CHROMIUM_BINARY,
  isHeadlessShell,
  pooledBrowser,
} from '../../../src/scanner/browser/pool.ts';
import { startGuardedProxy } from '../../../src/scanner/browser/proxy.ts';

vi.setConfig({ testTimeout: 60_000 });

const SHELL = '/usr/lib/chromium/chromium-headless-shell';

/** What the page reports; every value a plain string so the comparison reads well. */
const PROBE = `(async () => {
  const gl = document.createElement('canvas').getContext('webgl');
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const audio = new OfflineAudioContext(1, 4410, 44100);
  const oscillator = audio.createOscillator();
  oscillator.connect(audio.destination);
  oscillator.start(0);
  const rendered = await audio.startRendering();
  return {
    userAgent: navigator.userAgent,
    brands: navigator.userAgentData.brands.map((b) => b.brand + ' ' + b.version).join(', '),
    webdriver: String(navigator.webdriver),
    languages: navigator.languages.join(','),
    platform: navigator.platform,
    plugins: String(navigator.plugins.length),
    pdfViewerEnabled: String(navigator.pdfViewerEnabled),
    windowChrome: typeof window.chrome,
    notificationPermission: Notification.permission,
    webglRenderer: gl.getParameter(info.UNMASKED_RENDERER_WEBGL),
    webglVendor: gl.getParameter(info.UNMASKED_VENDOR_WEBGL),
    audioRendered: String(rendered.length),
    screen: [screen.width, screen.height, devicePixelRatio].join('x'),
  };
})()`;

type Seen = Record<string, string> & { acceptLanguage: string; secChUa: string };

let server: Server;
let origin: string;
let lastHeaders: IncomingHttpHeaders = {};

async function visit(chromiumPath: string): Promise<Seen> {
  const { browser } = await pooledBrowser({ chromiumPath });
  const proxy = await startGuardedProxy({ allowPrivate: true });
  const context = await browser.newContext({
    proxy: { server: proxy.url },
    viewport: { width: 1280, height: 800 },
  });
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    const seen = (await page.evaluate(PROBE)) as Record<string, string>;
    return {
      ...seen,
      acceptLanguage: String(lastHeaders['accept-language']),
      secChUa: String(lastHeaders['sec-ch-ua']),
    };
  } finally {
    await context.close();
    await proxy.close();
  }
}

describe('isHeadlessShell', () => {
  it.each([
    [SHELL, true],
    ['/usr/bin/chromium-headless-shell', true],
    ['/opt/chrome-headless-shell-linux64/chrome-headless-shell', true],
    [DEBIAN_CHROMIUM_BINARY, false],
    ['/usr/bin/chromium', false],
    ['/opt/google/chrome/chrome', false],
    ['/opt/headless-shell/chromium', false],
  ])('%s → %s', (file, expected) => {
    expect(isHeadlessShell(file)).toBe(expected);
  });
});

describe('what a site can tell: the headless shell against the full Chromium', () => {
  let full: Seen;
  let shell: Seen;

  beforeAll(async () => {
    server = createServer((req, res) => {
      lastHeaders = req.headers;
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>probe</title><p>probe');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    full = await visit(DEBIAN_CHROMIUM_BINARY);
    shell = await visit(SHELL);
  });

  afterAll(async () => {
    await closeBrowserPool();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('differs only where docs/browser-detection.md says', () => {
    const differing = Object.keys(full).filter((key) => full[key] !== shell[key]);
    expect(differing.sort()).toEqual(
      [
        'userAgent', // full version instead of the reduced 156.0.0.0
        'brands', // + HeadlessChrome
        'secChUa', // the same brands, in every request
        'acceptLanguage', // en-US,en instead of en-US,en;q=0.9
        'plugins', // 0 instead of 5 (no PDF viewer)
        'pdfViewerEnabled',
        'windowChrome', // no window.chrome
        'notificationPermission', // denied instead of default
      ].sort(),
    );
  });

  it('both announce a headless Chrome driven by automation, in the user agent and navigator.webdriver', () => {
    for (const seen of [full, shell]) {
      expect(seen.userAgent).toMatch(/ HeadlessChrome\/\d+\./);
      expect(seen.webdriver).toBe('true');
    }
    expect(shell.brands).toMatch(/HeadlessChrome/);
    expect(full.brands).not.toMatch(/HeadlessChrome/);
  });

  it('the shell offers the full browser’s languages (no request without Accept-Language)', () => {
    expect(shell.languages).toBe('en-US,en');
    expect(shell.languages).toBe(full.languages);
    expect(shell.acceptLanguage).toBe('en-US,en');
    expect(full.acceptLanguage).toBe('en-US,en;q=0.9');
  });

  it('keeps what fingerprinting detection needs: WebGL’s unmasked renderer and offline audio', () => {
    expect(shell.webglRenderer).toMatch(/SwiftShader/);
    expect(shell.webglRenderer).toBe(full.webglRenderer);
    expect(shell.audioRendered).toBe('4410');
  });
});
