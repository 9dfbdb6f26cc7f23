import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  effectiveSources,
  parseCspHeader,
  parseCspPolicy,
  serializeCspPolicy,
} from '../../../src/scanner/parse/csp.ts';

describe('parseCspPolicy', () => {
  it.each([
    ["default-src 'self'", [['default-src', ["'self'"]]], []],
    [
      "SCRIPT-SRC 'none';;  img-src  a b ",
      [
        ['script-src', ["'none'"]],
        ['img-src', ['a', 'b']],
      ],
      [],
    ],
    ['script-src a; script-src b', [['script-src', ['a']]], ['script-src']],
    ['upgrade-insecure-requests', [['upgrade-insecure-requests', []]], []],
  ] as const)('%s', (input, directives, duplicates) => {
    const p = parseCspPolicy(input);
    expect(p.directives.map((d) => [d.name, d.values])).toEqual(directives);
    expect(p.duplicates).toEqual(duplicates);
  });

  it('records an invalid directive name instead of throwing', () => {
    const p = parseCspPolicy('sc<ript-src x');
    expect(p.directives).toEqual([]);
    expect(p.errors[0]).toContain('invalid directive name');
  });

  it('splits comma-separated policies (CSP3 §2.2.2)', () => {
    expect(parseCspHeader("default-src 'self', script-src 'none'").map((p) => p.directives[0]?.name)).toEqual(
      ['default-src', 'script-src'],
    );
  });

  it('falls back to default-src for fetch directives', () => {
    expect(effectiveSources(parseCspPolicy("default-src 'none'"), 'script-src')).toEqual(["'none'"]);
    expect(effectiveSources(parseCspPolicy("img-src 'self'"), 'script-src')).toBeUndefined();
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        parseCspHeader(s);
        parseCspPolicy(s);
      }),
    );
  });

  it('round-trips: parse(serialize(parse(x))) equals parse(x)', () => {
    const token = fc.stringMatching(/^[a-z0-9'*:/.-]{1,12}$/);
    const directive = fc.tuple(fc.stringMatching(/^[a-z][a-z-]{0,15}$/), fc.array(token, { maxLength: 4 }));
    fc.assert(
      fc.property(fc.array(directive, { maxLength: 6 }), (ds) => {
        const once = parseCspPolicy(ds.map(([n, v]) => [n, ...v].join(' ')).join('; '));
        const twice = parseCspPolicy(serializeCspPolicy(once));
        expect(twice.directives).toEqual(once.directives);
      }),
    );
  });
});
