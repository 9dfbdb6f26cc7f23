import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPreloadReady, parseHsts } from '../../../src/scanner/parse/hsts.ts';

describe('parseHsts', () => {
  it.each([
    ['max-age=31536000', true, 31536000, false, false],
    ['max-age="600"; includeSubDomains', true, 600, true, false],
    ['MAX-AGE=1;INCLUDESUBDOMAINS;PRELOAD', true, 1, true, true],
    ['includeSubDomains', false, undefined, true, false],
    ['max-age=abc', false, undefined, false, false],
    ['max-age=-1', false, undefined, false, false],
    ['max-age=5; max-age=6', false, 5, false, false],
    ['max-age=5; unknown=1', true, 5, false, false],
    ['', false, undefined, false, false],
  ] as const)('%j', (input, valid, maxAge, sub, preload) => {
    const h = parseHsts(input);
    expect([h.valid, h.maxAge, h.includeSubDomains, h.preload]).toEqual([valid, maxAge, sub, preload]);
  });

  it('knows the preload rules', () => {
    expect(isPreloadReady(parseHsts('max-age=31536000; includeSubDomains; preload'))).toBe(true);
    expect(isPreloadReady(parseHsts('max-age=31535999; includeSubDomains; preload'))).toBe(false);
  });

  it('never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => void parseHsts(s)));
  });

  it('reads back any max-age it is given', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.boolean(), (n, sub) => {
        const h = parseHsts(`max-age=${n}${sub ? '; includeSubDomains' : ''}`);
        expect(h).toMatchObject({ valid: true, maxAge: n, includeSubDomains: sub });
      }),
    );
  });
});
