import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cookieLifetimeSeconds,
  isSessionLike,
  parseSetCookie,
} from '../../../src/scanner/parse/set-cookie.ts';

describe('parseSetCookie', () => {
  it.each([
    ['a=b', { name: 'a', value: 'b', secure: false, httpOnly: false }],
    ['a=b; Secure; HttpOnly', { name: 'a', secure: true, httpOnly: true }],
    ['a=b; samesite=LAX', { sameSite: 'lax', sameSiteRaw: 'lax' }],
    ['a=b; SameSite=Bogus', { sameSite: undefined, sameSiteRaw: 'bogus' }],
    ['a=b; Domain=.Example.TEST; Path=/x', { domain: 'example.test', path: '/x' }],
    ['a=b; Path=relative', { path: undefined }],
    ['a=b; Max-Age=-5', { maxAge: -5 }],
    ['a=b=c', { name: 'a', value: 'b=c' }],
    ['novalue', { name: '', value: 'novalue', valid: true }],
    ['', { valid: false }],
  ] as const)('%j', (line, expected) => {
    expect(parseSetCookie(line)).toMatchObject(expected);
  });

  it('lets Max-Age win over Expires (RFC 6265bis §5.6.2)', () => {
    const c = parseSetCookie('a=b; Expires=Wed, 01 Jan 2031 00:00:00 GMT; Max-Age=10');
    expect(cookieLifetimeSeconds(c, new Date('2030-01-01T00:00:00Z'))).toBe(10);
    expect(cookieLifetimeSeconds(parseSetCookie('a=b'), new Date())).toBeUndefined();
  });

  it('recognises session-like names', () => {
    expect(isSessionLike(parseSetCookie('PHPSESSID=1'))).toBe(true);
    expect(isSessionLike(parseSetCookie('csrftoken=1'))).toBe(true);
    expect(isSessionLike(parseSetCookie('theme=dark'))).toBe(false);
  });

  it('never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => void parseSetCookie(s)));
  });

  it('round-trips name, value and flags', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9_-]{1,16}$/);
    fc.assert(
      fc.property(word, word, fc.boolean(), fc.boolean(), (name, value, secure, httpOnly) => {
        const line = [`${name}=${value}`, secure && 'Secure', httpOnly && 'HttpOnly']
          .filter(Boolean)
          .join('; ');
        expect(parseSetCookie(line)).toMatchObject({ name, value, secure, httpOnly });
      }),
    );
  });
});
