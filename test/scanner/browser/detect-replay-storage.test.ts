/**
 * Session replay (vendor hosts and behaviour) and storage writes on recorded visits, each with the
 * controls that must stay silent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Classifier } from '../../../src/scanner/browser/classify.ts';
import { detect } from '../../../src/scanner/browser/detect.ts';
import type { RawVisit } from '../../../src/scanner/browser/types.ts';
import { PAGE, rawVisit, record, request, tinyClassifier } from './helpers.ts';

const REPLAY = 'https://cdn.replay.test/recorder.js';
const LAZY = 'https://shop.example.com/static/lazy-images.js';

let classifier: Classifier;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ classifier, cleanup } = await tinyClassifier()));
afterAll(() => cleanup());

const run = (visit: Partial<RawVisit>) => detect(rawVisit(visit), classifier, PAGE);

describe('session replay by vendor host', () => {
  it('names the vendor and the script for a known recorder host, once per vendor', () => {
    const found = run({
      requests: [
        request('https://static.hotjar.com/c/hotjar-123.js?sv=6'),
        request('https://script.hotjar.com/modules.abc.js'),
        request('https://edge.fullstory.com/s/fs.js'),
        request('https://rs.fullstory.com/rec/bundle', {
          type: 'xhr',
          method: 'POST',
          initiator: 'https://edge.fullstory.com/s/fs.js',
        }),
      ],
    }).sessionReplay;
    expect(found.map((f) => [f.vendor, f.by, f.script, f.party])).toEqual([
      ['Hotjar', 'host', 'https://static.hotjar.com/c/hotjar-123.js?sv=6', 'third'],
      ['FullStory', 'host', 'https://edge.fullstory.com/s/fs.js', 'third'],
    ]);
  });

  it.each([
    ["the vendor's marketing site", 'https://www.hotjar.com/pricing'],
    ['a FullStory path outside the recorder', 'https://www.fullstory.com/blog/'],
    ['a file merely named after a vendor', 'https://cdn.example.com/img/mouseflow-logo.png'],
  ])('ignores %s', (_name, url) => {
    expect(run({ requests: [request(url, { type: 'image' })] }).sessionReplay).toEqual([]);
  });
});

describe('session replay by behaviour', () => {
  const observe = (script: string) =>
    record(
      'MutationObserver.observe',
      { target: 'document', subtree: true, childList: true, attributes: true, characterData: true },
      script,
    );
  const listen = (type: string, script: string) =>
    record('EventTarget.addEventListener', { type, target: 'document' }, script);
  const post = (initiator: string) =>
    request('https://ingest.replay.test/events', {
      type: 'xhr',
      method: 'POST',
      postData: '[{"type":3}]',
      initiator,
    });

  it('reports a script that observes the whole document, listens to input and sends data', () => {
    const found = run({
      instrument: [observe(REPLAY), listen('keydown', REPLAY), listen('mousemove', REPLAY)],
      requests: [post(REPLAY)],
    }).sessionReplay;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ script: REPLAY, by: 'behaviour', party: 'third' });
    expect(found[0]!.evidence).toBe(
      'observed every DOM mutation of the document and listened to keydown, mousemove; sent 1 message with data, first to https://ingest.replay.test/events',
    );
  });

  it('reports a script that serialises the document and sends it over a WebSocket', () => {
    const found = run({
      instrument: [record('Element.outerHTML', { target: 'html' }, REPLAY)],
      websocketFrames: [{ url: 'wss://ingest.replay.test/ws', payload: '<html>…', initiator: REPLAY }],
    }).sessionReplay;
    expect(found).toMatchObject([{ script: REPLAY, by: 'behaviour' }]);
    expect(found[0]!.evidence).toContain('serialised the whole document (Element.outerHTML)');
  });

  it.each([
    [
      'observes and listens but sends nothing',
      [observe(REPLAY), listen('keydown', REPLAY), listen('click', REPLAY)],
      [],
    ],
    ['observes and sends but never listens to input (a lazy loader)', [observe(LAZY)], [post(LAZY)]],
    [
      'listens to keys only, without mouse or scroll (a search box)',
      [observe(LAZY), listen('input', LAZY)],
      [post(LAZY)],
    ],
    [
      'observes and listens while another script sends',
      [observe(REPLAY), listen('keydown', REPLAY), listen('click', REPLAY)],
      [post(LAZY)],
    ],
    [
      'reads the body innerHTML (templating)',
      [record('Element.innerHTML', { target: 'body' }, LAZY)],
      [post(LAZY)],
    ],
  ])('stays silent when a script %s', (_name, instrument, requests) => {
    expect(run({ instrument, requests }).sessionReplay).toEqual([]);
  });
});

describe('storage writes', () => {
  it('reports who wrote what where, with the writing script’s party, once per key and script', () => {
    const found = run({
      instrument: [
        record(
          'Storage.setItem',
          { area: 'localStorage', key: '_ga_id', value: 'GA1.2.333', origin: 'https://shop.example.com' },
          'https://www.googletagmanager.com/gtag/js',
        ),
        record(
          'Storage.setItem',
          { area: 'localStorage', key: '_ga_id', value: 'GA1.2.444', origin: 'https://shop.example.com' },
          'https://www.googletagmanager.com/gtag/js',
        ),
        record(
          'Storage.setItem',
          { area: 'sessionStorage', key: 'cart', value: 'x'.repeat(300), origin: 'https://shop.example.com' },
          'https://shop.example.com/app.js',
        ),
        record(
          'IDBObjectStore.put',
          {
            database: 'trk',
            store: 'ids',
            key: 'visitor',
            value: '[object]',
            origin: 'https://shop.example.com',
          },
          'https://cdn.tracker.test/t.js',
        ),
        record(
          'Storage.setItem',
          { area: 'unknown', key: 'k', value: 'v', origin: 'https://shop.example.com' },
          'https://cdn.tracker.test/t.js',
        ),
        record('Storage.setItem', {
          area: 'localStorage',
          key: 'anon',
          value: 'v',
          origin: 'https://widget.tracker.test',
        }),
      ],
    }).storage;
    expect(found.map((w) => [w.area, w.key, w.script, w.party])).toEqual([
      ['localStorage', '_ga_id', 'https://www.googletagmanager.com/gtag/js', 'third'],
      ['sessionStorage', 'cart', 'https://shop.example.com/app.js', 'first'],
      ['indexedDB', 'trk/ids/visitor', 'https://cdn.tracker.test/t.js', 'third'],
      ['localStorage', 'anon', undefined, 'third'],
    ]);
    expect(found[0]!.valuePreview).toBe('GA1.2.333');
    expect(found[1]!.valuePreview.length).toBeLessThanOrEqual(100);
  });

  it('reports nothing for a visit without storage writes', () => {
    expect(
      run({
        instrument: [record('Document.cookie', { name: 'a', value: 'b', attributes: '', origin: PAGE })],
      }).storage,
    ).toEqual([]);
  });
});
