/**
 * The recorder's refused cookies (CDP responseReceivedExtraInfo.blockedCookies): reported from the
 * response with Chromium's reasons, parsed by CDP or from the raw line, and never beside the jar's
 * own cookie of that name, domain and path. The jar is a stand-in for context.cookies().
 */
import type { BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readCookies, Recorder } from '../../../src/scanner/browser/recorder.ts';

type JarCookie = Awaited<ReturnType<BrowserContext['cookies']>>[number];
const jar = (cookies: JarCookie[]) => ({ cookies: async () => cookies }) as unknown as BrowserContext;

const PIXEL = 'https://px.tracker.test/p.gif';

function recorderWithRefusals(): Recorder {
  const recorder = new Recorder();
  recorder.onCdpRequest({ requestId: '7.1', request: { url: PIXEL } });
  recorder.onResponseExtraInfo({
    requestId: '7.1',
    blockedCookies: [
      {
        blockedReasons: ['SameSiteUnspecifiedTreatedAsLax'],
        cookieLine: 'uid=abc; Domain=.tracker.test; Path=/; Max-Age=600; Secure',
        cookie: {
          name: 'uid',
          value: 'abc',
          domain: '.tracker.test',
          path: '/',
          expires: 1_900_000_000,
          httpOnly: false,
          secure: true,
        },
      },
      // CDP leaves `cookie` out when the line names a domain the response cannot set.
      { blockedReasons: ['InvalidDomain'], cookieLine: 'x=1; Domain=elsewhere.test; HttpOnly' },
    ],
  });
  return recorder;
}

describe('cookies Chromium refused to store', () => {
  it('are listed after the jar, from the response that sent them, with the reasons', async () => {
    const cookies = await readCookies(jar([]), recorderWithRefusals());
    expect(cookies).toEqual([
      {
        name: 'uid',
        value: 'abc',
        domain: '.tracker.test',
        path: '/',
        expires: new Date(1_900_000_000_000).toISOString(),
        session: false,
        httpOnly: false,
        secure: true,
        partitioned: false,
        setBy: { via: 'http', url: PIXEL },
        blockedReasons: ['SameSiteUnspecifiedTreatedAsLax'],
        setAtMs: expect.any(Number),
      },
      {
        name: 'x',
        value: '1',
        domain: 'elsewhere.test',
        path: '/',
        session: true,
        httpOnly: true,
        secure: false,
        partitioned: false,
        setBy: { via: 'http', url: PIXEL },
        blockedReasons: ['InvalidDomain'],
        setAtMs: expect.any(Number),
      },
    ]);
  });

  it('a cookie the jar holds (stored by a later response) is listed once, as stored', async () => {
    const stored: JarCookie = {
      name: 'uid',
      value: 'def',
      domain: '.tracker.test',
      path: '/',
      expires: -1,
      httpOnly: false,
      secure: true,
      sameSite: 'None',
    };
    const cookies = await readCookies(jar([stored]), recorderWithRefusals());
    expect(cookies.filter((c) => c.name === 'uid')).toEqual([
      expect.objectContaining({ value: 'def', sameSite: 'None' }),
    ]);
    expect(cookies.find((c) => c.name === 'uid')?.blockedReasons).toBeUndefined();
    expect(cookies.map((c) => c.name)).toEqual(['uid', 'x']);
  });

  it('a response with nothing refused adds nothing', async () => {
    const recorder = new Recorder();
    recorder.onResponseExtraInfo({ requestId: '1', blockedCookies: [] });
    expect(await readCookies(jar([]), recorder)).toEqual([]);
  });
});
