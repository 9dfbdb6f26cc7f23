/**
 * HTML extraction: table-driven over the shapes the content checks judge, plus hostile markup
 * (fast-check: never throws, caps hold).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractHtml, gatherHtml, isHtml } from '../../../src/scanner/gather/html.ts';
import type { HtmlArtefact, ResponseArtefact } from '../../../src/scanner/types.ts';

const DOC = 'https://site.example/dir/page.html';

describe('extractHtml', () => {
  it.each<[string, string, Partial<HtmlArtefact>]>([
    [
      'meta CSP in document order, case-insensitive http-equiv',
      `<meta http-equiv="Content-Security-Policy" content="default-src 'self'"><META HTTP-EQUIV="content-security-policy" CONTENT="img-src *">`,
      { metaCsp: ["default-src 'self'", 'img-src *'] },
    ],
    [
      'other meta http-equiv values are ignored',
      '<meta http-equiv="refresh" content="0;url=/x"><meta http-equiv="Content-Security-Policy-Report-Only" content="x">',
      { metaCsp: [] },
    ],
    [
      'scripts resolved against the document, with SRI attributes kept',
      '<script src="/a.js" integrity="sha384-abc" crossorigin="anonymous"></script><script>inline()</script><script src="//cdn.example/b.js"></script>',
      {
        scripts: [
          { src: 'https://site.example/a.js', integrity: 'sha384-abc', crossorigin: 'anonymous' },
          { src: 'https://cdn.example/b.js' },
        ],
      },
    ],
    [
      'the first <base href> changes resolution, later ones do not',
      '<base href="https://cdn.example/x/"><base href="https://evil.example/"><script src="a.js"></script>',
      { scripts: [{ src: 'https://cdn.example/x/a.js' }] },
    ],
    [
      'stylesheets by rel token, not by rel string',
      '<link rel="Stylesheet" href="s.css"><link rel="alternate stylesheet" href="t.css"><link rel="icon" href="i.png">',
      {
        stylesheets: [{ href: 'https://site.example/dir/s.css' }, { href: 'https://site.example/dir/t.css' }],
      },
    ],
    [
      'forms: action resolved, empty action is the document, method lower-cased, password detected',
      '<form action="http://login.example/p" METHOD="POST"><input type="PASSWORD"></form><form><input name=q></form>',
      {
        forms: [
          { action: 'http://login.example/p', method: 'post', hasPassword: true },
          { action: DOC, method: 'get', hasPassword: false },
        ],
      },
    ],
    [
      'subresources: passive media, active frames/objects, srcset candidates, non-http schemes skipped',
      '<img src="http://img.example/a.png" srcset="b.png 1x, c.png 2x"><iframe src="https://f.example/"></iframe><object data="o.swf"></object><img src="data:image/png;base64,AA"><script src="javascript:alert(1)"></script>',
      {
        subresources: [
          { url: 'http://img.example/a.png', kind: 'passive', tag: 'img' },
          { url: 'https://site.example/dir/b.png', kind: 'passive', tag: 'img' },
          { url: 'https://site.example/dir/c.png', kind: 'passive', tag: 'img' },
          { url: 'https://f.example/', kind: 'active', tag: 'iframe' },
          { url: 'https://site.example/dir/o.swf', kind: 'active', tag: 'object' },
        ],
      },
    ],
    [
      'markup inside <script> text is not parsed as tags',
      '<script>document.write("<script src=http://evil.example/x.js></scr"+"ipt>")</script>',
      { scripts: [], subresources: [] },
    ],
    [
      'entities in attributes are decoded',
      '<script src="/a.js?x=1&amp;y=2"></script>',
      { scripts: [{ src: 'https://site.example/a.js?x=1&y=2' }] },
    ],
  ])('%s', (_name, html, expected) => {
    expect(extractHtml(html, DOC)).toMatchObject(expected);
  });

  it('caps list lengths and attribute sizes on hostile pages', () => {
    const many = '<img src="/i.png">'.repeat(2000);
    const huge = `<meta http-equiv="content-security-policy" content="${'a'.repeat(100_000)}">`;
    const out = extractHtml(many + huge, DOC);
    expect(out.subresources).toHaveLength(500);
    expect(out.metaCsp[0]).toHaveLength(2048);
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (text) => {
        const out = extractHtml(text, DOC);
        expect(Array.isArray(out.scripts)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('gatherHtml', () => {
  const res = (headers: Record<string, string[]>, body?: string): ResponseArtefact => ({
    url: DOC,
    status: 200,
    headers,
    timingMs: 1,
    ...(body !== undefined && { body }),
  });

  it('only parses HTML responses', () => {
    expect(isHtml(res({ 'content-type': ['text/html; charset=utf-8'] }, '<p>'))).toBe(true);
    expect(isHtml(res({ 'content-type': ['application/json'] }, '<html>'))).toBe(false);
    expect(isHtml(res({}, '  <!DOCTYPE html><html>'))).toBe(true);
    expect(isHtml(res({}, '{"a":1}'))).toBe(false);
    expect(gatherHtml(res({ 'content-type': ['text/plain'] }, '<script src=x></script>'))).toBeUndefined();
    expect(gatherHtml(undefined)).toBeUndefined();
  });
});
