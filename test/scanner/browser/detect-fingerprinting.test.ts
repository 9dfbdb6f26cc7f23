/**
 * Fingerprinting criteria on recorded instrument data: each technique fires on the published
 * pattern and stays silent on its near misses (drawing-only canvases, too few fonts, masked WebGL
 * parameters, a live AudioContext, an offer without candidates).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Classifier } from '../../../src/scanner/browser/classify.ts';
import { detect } from '../../../src/scanner/browser/detect.ts';
import type { InstrumentRecord } from '../../../src/scanner/browser/types.ts';
import { PAGE, rawVisit, record, tinyClassifier } from './helpers.ts';

const FP = 'https://fp.tracker.test/fp.js';
const APP = 'https://shop.example.com/static/app.js';

let classifier: Classifier;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ classifier, cleanup } = await tinyClassifier()));
afterAll(() => cleanup());

const fingerprints = (instrument: InstrumentRecord[]) =>
  detect(rawVisit({ instrument }), classifier, PAGE).fingerprinting;

const canvas = { canvas: 1, width: 220, height: 30 };
const text = (t: string, style: string, extra = {}, script = FP) =>
  record('CanvasRenderingContext2D.fillText', { ...canvas, text: t, style, ...extra }, script);
const toDataURL = (extra = {}, script = FP) =>
  record('HTMLCanvasElement.toDataURL', { ...canvas, context: '2d', ...extra }, script);

describe('canvas (Englehardt & Narayanan 2016)', () => {
  const classic = [
    text('Cwm fjordbank glyphs vext quiz, 😃', '#ff6600'),
    text('Cwm fjordbank glyphs vext quiz, 😃', 'rgba(102, 204, 0, 0.7)'),
    toDataURL(),
  ];

  it('reports text in two colours read back with toDataURL, naming the script and its party', () => {
    const [finding, ...rest] = fingerprints(classic);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ technique: 'canvas', script: FP, party: 'third', frame: `${FP}:1:1` });
    expect(finding!.evidence).toContain('toDataURL on a 220×30 canvas');
    expect(finding!.evidence).toContain('2 colours');
  });

  it.each([
    ['ten distinct characters in one colour', [text('abcdefghij', '#000'), toDataURL()]],
    [
      'one getImageData of 16×16',
      [
        text('abcdefghij', '#000'),
        record(
          'CanvasRenderingContext2D.getImageData',
          { ...canvas, x: 0, y: 0, readWidth: 16, readHeight: 16 },
          FP,
        ),
      ],
    ],
    [
      'an OffscreenCanvas read with convertToBlob',
      [
        record(
          'OffscreenCanvasRenderingContext2D.fillText',
          { ...canvas, text: 'abcdefghij', style: '#000' },
          FP,
        ),
        record('OffscreenCanvas.convertToBlob', { ...canvas, context: '2d' }, FP),
      ],
    ],
  ])('reports %s', (_name, records) => {
    expect(fingerprints(records).map((f) => f.technique)).toEqual(['canvas']);
  });

  it.each([
    [
      'the script also calls save (drawing use)',
      [...classic, record('CanvasRenderingContext2D.save', canvas, FP)],
    ],
    ['the script also calls restore', [...classic, record('CanvasRenderingContext2D.restore', canvas, FP)]],
    [
      'the script listens to events on a canvas',
      [...classic, record('EventTarget.addEventListener', { type: 'click', target: 'canvas' }, FP)],
    ],
    [
      'the canvas is below 16×16',
      [
        text('Cwm fjordbank glyphs', '#f60', { width: 15, height: 30 }),
        text('x', '#0f0', { width: 15, height: 30 }),
        toDataURL({ width: 15 }),
      ],
    ],
    [
      'the text has fewer than 10 characters in one colour',
      [text('Hello', '#333'), text('Hello', '#333'), toDataURL()],
    ],
    ['nothing is read back', classic.slice(0, 2)],
    [
      'the read is a 1×1 getImageData (colour picking)',
      [
        ...classic.slice(0, 2),
        record(
          'CanvasRenderingContext2D.getImageData',
          { ...canvas, x: 3, y: 3, readWidth: 1, readHeight: 1 },
          FP,
        ),
      ],
    ],
    ['another canvas is read than the one written', [...classic.slice(0, 2), toDataURL({ canvas: 2 })]],
    ['another script reads the canvas', [...classic.slice(0, 2), toDataURL({}, APP)]],
  ])('stays silent when %s', (_name, records) => {
    expect(fingerprints(records)).toEqual([]);
  });

  it('charges records without a script URL to the page (first party)', () => {
    const anonymous = classic.map(({ script: _s, frame: _f, ...rest }) => rest);
    expect(fingerprints(anonymous)).toMatchObject([{ technique: 'canvas', script: PAGE, party: 'first' }]);
  });
});

describe('canvas fonts', () => {
  const fonts = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      record('CanvasRenderingContext2D.font', { font: `72px Font${i}, monospace` }, FP),
    );
  const measures = (n: number, probe = (_i: number) => 'mmmmmmmmmmlli') =>
    Array.from({ length: n }, (_, i) =>
      record('CanvasRenderingContext2D.measureText', { text: probe(i), font: '72px x' }, FP),
    );

  it('reports 50 fonts measured 50 times on the same string', () => {
    const [finding] = fingerprints([...fonts(50), ...measures(50)]);
    expect(finding).toMatchObject({ technique: 'canvas-font', script: FP, party: 'third' });
    expect(finding!.evidence).toBe('set 50 distinct fonts and measured "mmmmmmmmmmlli" 50 times');
  });

  it.each([
    ['49 fonts', [...fonts(49), ...measures(60)]],
    ['49 measurements', [...fonts(60), ...measures(49)]],
    [
      'measurements of different strings (a text layout engine)',
      [...fonts(60), ...measures(60, (i) => `word ${i}`)],
    ],
  ])('stays silent with %s', (_name, records) => {
    expect(fingerprints(records)).toEqual([]);
  });
});

describe('WebGL', () => {
  it('reports the unmasked renderer read', () => {
    const records = [
      record('WebGLRenderingContext.getExtension', { name: 'WEBGL_debug_renderer_info' }, FP),
      record('WebGLRenderingContext.getParameter', { pname: 37446, name: 'UNMASKED_RENDERER_WEBGL' }, FP),
      record('WebGLRenderingContext.readPixels', { readWidth: 256, readHeight: 128 }, FP),
    ];
    const [finding] = fingerprints(records);
    expect(finding).toMatchObject({ technique: 'webgl', script: FP, party: 'third' });
    expect(finding!.evidence).toBe(
      'read UNMASKED_RENDERER_WEBGL via WEBGL_debug_renderer_info; also read pixels back (readPixels)',
    );
  });

  it('stays silent on the masked VENDOR/RENDERER a renderer library reads, and on pixel reads alone', () => {
    const records = [
      record('WebGL2RenderingContext.getParameter', { pname: 7937, name: 'RENDERER' }, APP),
      record('WebGL2RenderingContext.readPixels', { readWidth: 1, readHeight: 1 }, APP),
    ];
    expect(fingerprints(records)).toEqual([]);
  });
});

describe('audio (Das/Acar)', () => {
  const offline = (name: string) => record(`OfflineAudioContext.${name}`, {}, FP);
  const full = [
    'createOscillator',
    'createDynamicsCompressor',
    'destination',
    'startRendering',
    'oncomplete',
  ].map(offline);

  it.each([
    ['oncomplete', full],
    [
      'a complete listener',
      [
        ...full.slice(0, 4),
        record('EventTarget.addEventListener', { type: 'complete', target: 'OfflineAudioContext' }, FP),
      ],
    ],
    [
      'the startRendering promise and getChannelData',
      [...full.slice(0, 4), record('AudioBuffer.getChannelData', {}, FP)],
    ],
  ])('reports an oscillator rendered through a compressor, result taken by %s', (_name, records) => {
    expect(fingerprints(records)).toMatchObject([{ technique: 'audio', script: FP, party: 'third' }]);
  });

  it.each([
    ['without the compressor', full.filter((r) => r.api !== 'OfflineAudioContext.createDynamicsCompressor')],
    ['without rendering', full.filter((r) => r.api !== 'OfflineAudioContext.startRendering')],
    ['without taking the result', full.slice(0, 4)],
    [
      'on a live AudioContext (a synthesiser)',
      ['createOscillator', 'createDynamicsCompressor', 'destination'].map((n) =>
        record(`AudioContext.${n}`, {}, APP),
      ),
    ],
  ])('stays silent %s', (_name, records) => {
    expect(fingerprints(records)).toEqual([]);
  });
});

describe('WebRTC local address discovery', () => {
  const rtc = (name: string) => record(`RTCPeerConnection.${name}`, {}, FP);

  it('reports a data channel, an offer and candidates collected', () => {
    expect(fingerprints([rtc('createDataChannel'), rtc('createOffer'), rtc('onicecandidate')])).toMatchObject(
      [{ technique: 'webrtc', script: FP }],
    );
    const viaListener = record(
      'EventTarget.addEventListener',
      { type: 'icecandidate', target: 'RTCPeerConnection' },
      FP,
    );
    expect(fingerprints([rtc('createDataChannel'), rtc('createOffer'), viaListener])).toHaveLength(1);
  });

  it('stays silent on a call that never collects candidates', () => {
    expect(fingerprints([rtc('createDataChannel'), rtc('createOffer')])).toEqual([]);
  });
});

it('reports each technique of each script once', () => {
  const webgl = [
    record('WebGLRenderingContext.getExtension', { name: 'WEBGL_debug_renderer_info' }, FP),
    record('WebGLRenderingContext.getParameter', { pname: 37445, name: 'UNMASKED_VENDOR_WEBGL' }, FP),
    record('WebGLRenderingContext.getParameter', { pname: 37446, name: 'UNMASKED_RENDERER_WEBGL' }, FP),
    record('WebGLRenderingContext.getParameter', { pname: 37446, name: 'UNMASKED_RENDERER_WEBGL' }, APP),
  ];
  const found = fingerprints(webgl);
  expect(found.map((f) => [f.technique, f.script, f.party])).toEqual([
    ['webgl', FP, 'third'],
    ['webgl', APP, 'first'],
  ]);
  expect(found[0]!.evidence).toContain('UNMASKED_VENDOR_WEBGL and UNMASKED_RENDERER_WEBGL');
});
