/**
 * Key logging on recorded requests: the typed canaries found in URLs, bodies, beacons and WebSocket
 * frames in every encoding, and silence for everything else (a form that sends nothing until
 * submit, first-party analytics without a canary, hashes of other values, random base64).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARIES, CANARY_NAME_PARTS } from '../../../src/scanner/browser/canaries.ts';
import type { Classifier } from '../../../src/scanner/browser/classify.ts';
import { detect } from '../../../src/scanner/browser/detect.ts';
import { findCanaries } from '../../../src/scanner/browser/detect/key-logging.ts';
import type { RawVisit } from '../../../src/scanner/browser/types.ts';
import { PAGE, rawVisit, request, tinyClassifier } from './helpers.ts';

const LOGGER = 'https://cdn.keylog.test/k.js';
const hash = (algorithm: string, value: string) => createHash(algorithm).update(value).digest('hex');
const email = CANARIES.email;
const normalisedEmail = email.trim().toLowerCase();

let classifier: Classifier;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ classifier, cleanup } = await tinyClassifier()));
afterAll(() => cleanup());

const keyLogging = (visit: Partial<RawVisit>) => detect(rawVisit(visit), classifier, PAGE).keyLogging;

describe('findCanaries', () => {
  it.each([
    ['the e-mail in plain text', `{"email":"${email}"}`, 'email', 'plain', false],
    ['the e-mail lower-cased (text search ignores case)', `e=${normalisedEmail}`, 'email', 'plain', false],
    ['the e-mail URL-encoded', `email=${encodeURIComponent(email)}&x=1`, 'email', 'url', false],
    [
      'the e-mail double URL-encoded',
      `q=${encodeURIComponent(encodeURIComponent(email))}`,
      'email',
      'url',
      false,
    ],
    [
      'the password inside base64 JSON',
      `payload=${Buffer.from(JSON.stringify({ pw: CANARIES.password })).toString('base64')}`,
      'password',
      'base64',
      false,
    ],
    [
      'the password inside URL-safe base64',
      `d=${Buffer.from(`xx${CANARIES.password}`).toString('base64url')}`,
      'password',
      'base64',
      false,
    ],
    ['the name with a space as +', `name=${CANARIES.name.replace(' ', '+')}`, 'name', 'url', false],
    ['the given name alone', `fn=${CANARY_NAME_PARTS.given}`, 'name', 'plain', false],
    ['the phone digits with country code', 'ph=19715550123', 'phone', 'plain', false],
    ['MD5 of the normalised e-mail', `ud[em]=${hash('md5', normalisedEmail)}`, 'email', 'md5', true],
    ['SHA-1 of the normalised e-mail', `h=${hash('sha1', normalisedEmail)}`, 'email', 'sha1', true],
    [
      'SHA-256 of the normalised e-mail (Meta advanced matching)',
      `ud[em]=${hash('sha256', normalisedEmail)}`,
      'email',
      'sha256',
      true,
    ],
    [
      'SHA-512 of the normalised e-mail, upper-case hex',
      `h=${hash('sha512', normalisedEmail).toUpperCase()}`,
      'email',
      'sha512',
      true,
    ],
    ['SHA-256 of the raw e-mail', `h=${hash('sha256', email)}`, 'email', 'sha256', false],
    ['SHA-256 of the normalised phone', `ud[ph]=${hash('sha256', '19715550123')}`, 'phone', 'sha256', true],
    [
      'SHA-256 of the lower-cased first name',
      `ud[fn]=${hash('sha256', CANARY_NAME_PARTS.given.toLowerCase())}`,
      'name',
      'sha256',
      true,
    ],
    ['MD5 of the password', `p=${hash('md5', CANARIES.password)}`, 'password', 'md5', false],
  ])('finds %s', (_name, data, field, encoding, normalised) => {
    expect(findCanaries(data).map((h) => [h.term.field, h.encoding, h.term.normalised])).toContainEqual([
      field,
      encoding,
      normalised,
    ]);
  });

  it.each([
    [
      'an analytics hit without a canary',
      'v=2&tid=G-ABC123&en=page_view&dl=https%3A%2F%2Fshop.example.com%2F',
    ],
    [
      'hashes of other values',
      [hash('sha256', 'someone@example.com'), hash('md5', 'Tamsin'), hash('sha1', '+1 971 555 0199')].join(
        '&',
      ),
    ],
    [
      'random base64 tokens',
      `t=${Buffer.from('a session token that is not a canary at all').toString('base64')}`,
    ],
    ['an empty body', ''],
  ])('finds nothing in %s', (_name, data) => {
    expect(findCanaries(data)).toEqual([]);
  });

  it('quotes a capped excerpt around the match', () => {
    const [hit] = findCanaries(`${'a'.repeat(500)}email=${email}${'b'.repeat(500)}`);
    expect(hit!.evidence).toContain(email);
    expect(hit!.evidence.length).toBeLessThanOrEqual(200);
  });
});

describe('detect: key logging', () => {
  it('reports a beacon with the SHA-256 of the normalised e-mail, with its initiator and parties', () => {
    const beacon = request('https://collect.keylog.test/b', {
      type: 'ping',
      method: 'POST',
      postData: `em=${hash('sha256', normalisedEmail)}`,
      initiator: LOGGER,
    });
    expect(keyLogging({ requests: [beacon] })).toEqual([
      {
        field: 'email',
        encoding: 'sha256',
        normalised: true,
        where: 'beacon',
        requestUrl: 'https://collect.keylog.test/b',
        initiator: LOGGER,
        initiatorParty: 'third',
        party: 'third',
        evidence: `em=${hash('sha256', normalisedEmail)}`,
      },
    ]);
  });

  it('reports the URL of a GET, the body of an XHR and a WebSocket frame', () => {
    const found = keyLogging({
      requests: [
        request(`https://px.keylog.test/p.gif?ph=${encodeURIComponent(CANARIES.phone)}`, {
          type: 'image',
          initiator: LOGGER,
        }),
        request('https://shop.example.com/api/autosave', {
          type: 'xhr',
          method: 'POST',
          postData: `{"name":"${CANARIES.name}"}`,
        }),
      ],
      websocketFrames: [
        {
          url: 'wss://live.keylog.test/socket',
          payload: `["key","${CANARIES.password}"]`,
          initiator: LOGGER,
        },
      ],
    });
    expect(found.map((f) => [f.field, f.encoding, f.where, f.party, f.initiator])).toEqual([
      ['phone', 'url', 'url', 'third', LOGGER],
      ['name', 'plain', 'body', 'first', undefined],
      ['password', 'plain', 'websocket', 'third', LOGGER],
    ]);
  });

  it('stays silent on a form that sends nothing until submit: page load, assets and first-party analytics only', () => {
    const requests = [
      request(PAGE, { type: 'document' }),
      request('https://shop.example.com/static/form.js'),
      request('https://shop.example.com/analytics', {
        type: 'ping',
        method: 'POST',
        postData: 'event=view&path=%2Fcheckout',
      }),
      request(`https://shop.example.com/api/email-check?domain=example.com`, { type: 'fetch' }),
    ];
    expect(keyLogging({ requests })).toEqual([]);
  });

  it('searches nothing when no canary was typed on the visit', () => {
    const requests = [request(`https://px.keylog.test/p?e=${encodeURIComponent(email)}`)];
    expect(keyLogging({ requests, canariesTyped: false })).toEqual([]);
    expect(keyLogging({ requests })).toHaveLength(1);
  });

  it('reports a repeated leak once per request, field and encoding', () => {
    const data = `a=${email}&b=${email}&c=${hash('sha256', normalisedEmail)}`;
    const found = keyLogging({ requests: [request(`https://px.keylog.test/p?${data}`, { type: 'image' })] });
    expect(found.map((f) => f.encoding)).toEqual(['plain', 'sha256']);
  });
});
