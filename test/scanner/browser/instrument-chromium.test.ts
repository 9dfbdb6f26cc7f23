/**
 * INSTRUMENT_SCRIPT in real Chromium, through detect(): canvas, WebGL, audio and font
 * fingerprinting scripts are reported with their script URL; a drawing-only canvas is not; a
 * recorder that observes the DOM and sends data is; wrappers look native; a page that overwrites
 * addEventListener, the binding and Error.prepareStackTrace does not blind the recording.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detect } from '../../../src/scanner/browser/detect.ts';
import { cookieWriter } from '../../../src/scanner/browser/instrument.ts';
import { html, js, record, startSuite, type Recording, type Suite } from './chromium.ts';

const done = "document.title = 'done';";

const SCRIPTS = {
  '/fp/canvas.js': js(`
    const c = document.createElement('canvas'); c.width = 240; c.height = 60;
    const x = c.getContext('2d');
    x.textBaseline = 'top'; x.font = '14px Arial';
    x.fillStyle = '#f60'; x.fillRect(125, 1, 62, 20);
    x.fillStyle = '#069'; x.fillText('Cwm fjordbank glyphs vext quiz', 2, 15);
    x.fillStyle = 'rgba(102, 204, 0, 0.7)'; x.fillText('Cwm fjordbank glyphs vext quiz', 4, 17);
    window.fp = c.toDataURL();
    ${done}`),
  '/fp/webgl.js': js(`
    const gl = document.createElement('canvas').getContext('webgl');
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    window.fp = [gl.getParameter(info.UNMASKED_VENDOR_WEBGL), gl.getParameter(info.UNMASKED_RENDERER_WEBGL)];
    ${done}`),
  '/fp/audio.js': js(`
    const ctx = new OfflineAudioContext(1, 5000, 44100);
    const osc = ctx.createOscillator(); osc.type = 'triangle'; osc.frequency.value = 10000;
    const comp = ctx.createDynamicsCompressor(); comp.threshold.value = -50;
    osc.connect(comp); comp.connect(ctx.destination); osc.start(0);
    ctx.oncomplete = (event) => { window.fp = event.renderedBuffer.getChannelData(0)[4500]; ${done} };
    ctx.startRendering();`),
  '/fp/fonts.js': js(`
    const x = document.createElement('canvas').getContext('2d');
    const widths = [];
    for (let i = 0; i < 60; i++) { x.font = '72px "Font ' + i + '", monospace'; widths.push(x.measureText('mmmmmmmmmmlli').width); }
    window.fp = widths.join();
    ${done}`),
  '/app/chart.js': js(`
    const c = document.getElementById('chart'); const x = c.getContext('2d');
    x.save(); x.fillStyle = '#3366cc'; x.fillRect(10, 10, 80, 120); x.restore();
    x.save(); x.fillStyle = '#dc3912'; x.fillText('Revenue 2026 by quarter: Q1 Q2 Q3 Q4', 10, 150); x.restore();
    c.addEventListener('click', () => {});
    document.getElementById('export').href = c.toDataURL();
    ${done}`),
  '/rec/recorder.js': js(`
    const events = [];
    new MutationObserver((m) => events.push(m.length)).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    document.addEventListener('keydown', (e) => events.push(e.key));
    document.addEventListener('mousemove', (e) => events.push(e.clientX));
    document.body.appendChild(document.createElement('div'));
    setTimeout(() => fetch('/ingest', { method: 'POST', body: JSON.stringify(events) }).then(() => { ${done} }), 50);`),
  '/tp/cookie.js': js(`
    document.cookie = 'tp_id=abc123; path=/; max-age=3600';
    localStorage.setItem('tp_visitor', 'v-42');
    ${done}`),
  '/tp/logger.js': js(`
    document.addEventListener('keydown', () => {});
    const c = document.createElement('canvas'); c.width = 100; c.height = 40;
    const x = c.getContext('2d'); x.fillText('abcdefghijklmnop', 1, 20); c.toDataURL();
    ${done}`),
};

let suite: Suite;

beforeAll(async () => {
  suite = await startSuite(({ third }) => ({ ...SCRIPTS, ...pages(third) }));
});
afterAll(() => suite?.close());

function pages(third: string): Record<string, [string, string]> {
  const page = (script: string, extra = '') => html(`${extra}<script src="${third}${script}"></script>`);
  return {
    '/canvas': page('/fp/canvas.js'),
    '/webgl': page('/fp/webgl.js'),
    '/audio': page('/fp/audio.js'),
    '/fonts': page('/fp/fonts.js'),
    '/recorder': page('/rec/recorder.js'),
    '/drawing': html(
      '<canvas id="chart" width="300" height="200"></canvas><a id="export">PNG</a><script src="/app/chart.js"></script>',
    ),
    '/natives': html(`<script>${done}</script>`),
    '/cookie': page('/tp/cookie.js'),
    '/hostile': html(`<script>
      const original = EventTarget.prototype.addEventListener;
      EventTarget.prototype.addEventListener = function (type, listener, options) {
        window.seen = (window.seen || 0) + 1;
        return original.call(this, type, listener, options);
      };
      window.__vioscanRecord = () => {};
      Error.prepareStackTrace = () => 'hidden';
      Error.stackTraceLimit = 0;
    </script><script src="${third}/tp/logger.js"></script>`),
  };
}

async function detectOn(path: string, inspect?: (page: Recording['page']) => Promise<void>) {
  const recording = await record(suite.browser, `${suite.site.first}${path}`, 'done');
  try {
    await inspect?.(recording.page);
    return { recording, found: detect(recording.visit(), suite.classifier, `${suite.site.first}${path}`) };
  } finally {
    await recording.close();
  }
}

describe('fingerprinting scripts are reported with their script URL', () => {
  it.each([
    ['/canvas', 'canvas', '/fp/canvas.js', 'toDataURL on a 240×60 canvas'],
    ['/webgl', 'webgl', '/fp/webgl.js', 'read UNMASKED_VENDOR_WEBGL and UNMASKED_RENDERER_WEBGL'],
    ['/audio', 'audio', '/fp/audio.js', 'OfflineAudioContext.oncomplete'],
    ['/fonts', 'canvas-font', '/fp/fonts.js', 'set 60 distinct fonts and measured "mmmmmmmmmmlli" 60 times'],
  ])('%s → %s', async (path, technique, script, evidence) => {
    const { found } = await detectOn(path);
    expect(found.fingerprinting).toHaveLength(1);
    expect(found.fingerprinting[0]).toMatchObject({
      technique,
      script: `${suite.site.third}${script}`,
      party: 'third',
    });
    expect(found.fingerprinting[0]!.evidence).toContain(evidence);
    expect(found.fingerprinting[0]!.frame).toMatch(new RegExp(`^${suite.site.third}${script}:\\d+:\\d+$`));
  });

  it('a canvas used for drawing (save/restore, a click handler, an exported chart) is not', async () => {
    const { found, recording } = await detectOn('/drawing');
    expect(recording.instrument.map((r) => r.api)).toEqual(
      expect.arrayContaining([
        'CanvasRenderingContext2D.fillText',
        'CanvasRenderingContext2D.save',
        'HTMLCanvasElement.toDataURL',
      ]),
    );
    expect(found.fingerprinting).toEqual([]);
  });
});

it('a recorder that observes the DOM, listens to input and posts data is session replay by behaviour', async () => {
  const { found } = await detectOn('/recorder');
  expect(found.sessionReplay).toMatchObject([
    { by: 'behaviour', script: `${suite.site.third}/rec/recorder.js`, party: 'third' },
  ]);
  expect(suite.site.received.map((r) => r.path)).toContain('/ingest');
});

describe('the page cannot see or blind the instrumentation', () => {
  it('wrappers look native: toString, name, length, not constructible, same descriptors; the binding is gone', async () => {
    const recording = await record(suite.browser, `${suite.site.first}/natives`, 'done');
    try {
      const facts = await recording.page.evaluate(`(() => {
        const toDataURL = HTMLCanvasElement.prototype.toDataURL;
        const font = Object.getOwnPropertyDescriptor(CanvasRenderingContext2D.prototype, 'font');
        const add = Object.getOwnPropertyDescriptor(EventTarget.prototype, 'addEventListener');
        let constructible = true;
        try { new toDataURL(); } catch (e) { constructible = !(e instanceof TypeError); }
        return {
          toDataURL: String(toDataURL),
          name: toDataURL.name,
          length: EventTarget.prototype.addEventListener.length,
          setter: font.set.name + ' ' + Function.prototype.toString.call(font.set),
          toStringItself: Function.prototype.toString.toString(),
          addDescriptor: [add.writable, add.enumerable, add.configurable],
          prototype: 'prototype' in toDataURL,
          constructible,
          binding: typeof window.__vioscanRecord,
        };
      })()`);
      expect(facts).toEqual({
        toDataURL: 'function toDataURL() { [native code] }',
        name: 'toDataURL',
        length: 2,
        setter: 'set font function set font() { [native code] }',
        toStringItself: 'function toString() { [native code] }',
        addDescriptor: [true, true, true],
        prototype: false,
        constructible: false,
        binding: 'undefined',
      });
    } finally {
      await recording.close();
    }
  });

  it('a page overwriting addEventListener, the binding and the stack hooks is still recorded', async () => {
    const { found, recording } = await detectOn('/hostile', async (page) => {
      expect(await page.evaluate('window.seen')).toBeGreaterThanOrEqual(1); // the page's own wrapper still runs
    });
    const listener = recording.instrument.find(
      (r) => r.api === 'EventTarget.addEventListener' && r.detail.type === 'keydown',
    );
    expect(listener).toBeDefined();
    // The page's own wrapper is now the caller of the native: attribution goes to the first frame with a URL.
    expect([`${suite.site.first}/hostile`, `${suite.site.third}/tp/logger.js`]).toContain(listener!.script);
    expect(found.fingerprinting).toMatchObject([
      { technique: 'canvas', script: `${suite.site.third}/tp/logger.js` },
    ]);
  });
});

it('a third-party script setting a cookie and writing storage is named as the writer', async () => {
  const { found, recording } = await detectOn('/cookie');
  const host = new URL(suite.site.first).hostname;
  expect(cookieWriter(recording.instrument, { name: 'tp_id', domain: host })).toEqual({
    script: `${suite.site.third}/tp/cookie.js`,
    frame: expect.stringMatching(/tp\/cookie\.js:2:\d+$/),
  });
  expect(cookieWriter(recording.instrument, { name: 'tp_id', domain: 'other.example' })).toBeUndefined();
  expect(found.storage).toEqual([
    {
      area: 'localStorage',
      origin: suite.site.first,
      key: 'tp_visitor',
      valuePreview: 'v-42',
      script: `${suite.site.third}/tp/cookie.js`,
      party: 'third',
    },
  ]);
});
