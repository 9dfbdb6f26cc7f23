/**
 * The recording side's helpers: parseRecord validates what the page sends through the binding,
 * cookieWriter names the script behind a document.cookie write.
 */
import { describe, expect, it } from 'vitest';
import { cookieWriter, INSTRUMENT_SCRIPT, parseRecord } from '../../../src/scanner/browser/instrument.ts';
import { record } from './helpers.ts';

describe('parseRecord', () => {
  it('rebases the page clock, keeps primitives and drops anything malformed', () => {
    const good = {
      api: 'HTMLCanvasElement.toDataURL',
      detail: { width: 16, type: 'image/png', ok: true, bad: { x: 1 } },
      atMs: 1500,
      script: 'https://a.test/x.js',
    };
    expect(parseRecord(good, 1000)).toEqual({
      api: 'HTMLCanvasElement.toDataURL',
      detail: { width: 16, type: 'image/png', ok: true },
      atMs: 500,
      script: 'https://a.test/x.js',
    });
    expect(parseRecord(JSON.stringify(good), 1000)?.atMs).toBe(500);
    for (const bad of [
      null,
      'not json',
      [],
      { ...good, api: 'toDataURL' },
      { ...good, api: 'a.b; alert(1)' },
      { ...good, atMs: Number.NaN },
      { ...good, detail: [] },
      'x'.repeat(20_000),
    ]) {
      expect(parseRecord(bad, 0)).toBeUndefined();
    }
    expect(
      parseRecord({ ...good, detail: { text: 'y'.repeat(5000) }, script: 'z'.repeat(5000) }, 0),
    ).toMatchObject({
      detail: { text: 'y'.repeat(600) },
      script: 'z'.repeat(500),
    });
  });

  it('INSTRUMENT_SCRIPT passes the binding name, a random source marker and the input event types', () => {
    expect(INSTRUMENT_SCRIPT).toMatch(
      /\("__vioscanRecord", "vioscan-instrument-[0-9a-f]{12}\.js", \["keydown",[^\]]*"deviceorientation"\]\);\n\/\/# sourceURL=vioscan-instrument-[0-9a-f]{12}\.js\n$/,
    );
  });
});

describe('cookieWriter', () => {
  const write = (name: string, origin: string, script: string, attributes = 'path=/') =>
    record('Document.cookie', { name, value: 'v', attributes, origin }, script);

  it('names the last script that wrote the cookie from a frame that could set its domain', () => {
    const records = [
      write('_fbp', 'https://shop.example.com', 'https://connect.facebook.net/en_US/fbevents.js'),
      write('_fbp', 'https://shop.example.com', 'https://shop.example.com/app.js'),
      write('_fbp', 'https://widget.other.test', 'https://widget.other.test/w.js'),
      record(
        'Storage.setItem',
        { area: 'localStorage', key: '_fbp', value: 'x', origin: 'https://shop.example.com' },
        'https://x.test/s.js',
      ),
    ];
    expect(cookieWriter(records, { name: '_fbp', domain: '.example.com' })).toEqual({
      script: 'https://shop.example.com/app.js',
      frame: 'https://shop.example.com/app.js:1:1',
    });
    expect(cookieWriter(records, { name: '_fbp', domain: 'widget.other.test' })?.script).toBe(
      'https://widget.other.test/w.js',
    );
  });

  it('is undefined for a cookie no script wrote (it came from Set-Cookie)', () => {
    const records = [write('session', 'https://shop.example.com', 'https://shop.example.com/app.js')];
    expect(cookieWriter(records, { name: 'sid', domain: 'shop.example.com' })).toBeUndefined();
    expect(cookieWriter(records, { name: 'session', domain: 'elsewhere.test' })).toBeUndefined();
  });
});
