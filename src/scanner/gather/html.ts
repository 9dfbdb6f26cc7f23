/**
 * HTML gatherer: extracts what the content checks judge (meta CSP, scripts, stylesheets,
 * forms, subresources) from the final page body with htmlparser2 (a tolerant, streaming
 * parser: hostile markup cannot make it throw or recurse). URLs are resolved against the
 * document URL and the first `<base href>` (HTML §4.2.3). Lists are capped; nothing is escaped
 * here — renderers escape.
 */
import { Parser } from 'htmlparser2';
import type { HtmlArtefact, ResponseArtefact } from '../types.ts';

const MAX_ITEMS = 500;
const MAX_VALUE = 2048;

const PASSIVE_TAGS: Record<string, string[]> = {
  img: ['src'],
  audio: ['src'],
  video: ['src', 'poster'],
  source: ['src'],
  track: ['src'],
};
const ACTIVE_TAGS: Record<string, string[]> = {
  script: ['src'],
  iframe: ['src'],
  frame: ['src'],
  object: ['data'],
  embed: ['src'],
};
const ACTIVE_LINK_RELS = new Set(['stylesheet', 'preload', 'modulepreload', 'prefetch']);

const cap = (s: string) => (s.length > MAX_VALUE ? s.slice(0, MAX_VALUE) : s);

function resolve(raw: string | undefined, base: string): string | undefined {
  if (raw === undefined) return undefined;
  try {
    const url = new URL(raw.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? cap(url.href) : undefined;
  } catch {
    return undefined;
  }
}

function push<T>(list: T[], item: T): void {
  if (list.length < MAX_ITEMS) list.push(item);
}

export function isHtml(response: ResponseArtefact | undefined): boolean {
  if (!response || response.body === undefined) return false;
  const type = response.headers['content-type']?.[0]?.split(';')[0]?.trim().toLowerCase();
  if (type === 'text/html' || type === 'application/xhtml+xml') return true;
  // No Content-Type: sniff like a browser would for the common case (WHATWG MIME Sniffing §7.1).
  return type === undefined && /^\s*(<!doctype html|<html|<head|<body)/i.test(response.body.slice(0, 512));
}

export function extractHtml(body: string, documentUrl: string): HtmlArtefact {
  const out: HtmlArtefact = {
    metaCsp: [],
    metaReferrer: [],
    scripts: [],
    scriptElements: 0,
    stylesheets: [],
    forms: [],
    subresources: [],
  };
  let base = documentUrl;
  let baseSeen = false;
  let openForm: { action: string; method: string; hasPassword: boolean } | undefined;
  const attr = (attribs: Record<string, string>, name: string) =>
    name in attribs ? cap(attribs[name]!) : undefined;

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (name === 'base' && !baseSeen && attribs.href !== undefined) {
          baseSeen = true;
          base = resolve(attribs.href, documentUrl) ?? base;
          return;
        }
        if (
          name === 'meta' &&
          attribs['http-equiv']?.trim().toLowerCase() === 'content-security-policy' &&
          attribs.content !== undefined
        ) {
          push(out.metaCsp, cap(attribs.content));
          return;
        }
        if (
          name === 'meta' &&
          attribs.name?.trim().toLowerCase() === 'referrer' &&
          attribs.content !== undefined
        ) {
          push(out.metaReferrer!, cap(attribs.content));
          return;
        }
        if (name === 'script') out.scriptElements!++;
        if (name === 'script' && attribs.src !== undefined) {
          const src = resolve(attribs.src, base);
          const written = attribs.src.trim();
          const integrity = attr(attribs, 'integrity');
          const crossorigin = attr(attribs, 'crossorigin');
          if (src)
            push(out.scripts, {
              src,
              ...(!/^https?:\/\//i.test(written) && { rawSrc: cap(written) }),
              ...(integrity !== undefined && { integrity }),
              ...(crossorigin !== undefined && { crossorigin }),
            });
        }
        if (name === 'link') {
          const rels = (attribs.rel ?? '').toLowerCase().split(/\s+/);
          const href = resolve(attribs.href, base);
          if (href && rels.includes('stylesheet')) {
            const integrity = attr(attribs, 'integrity');
            const crossorigin = attr(attribs, 'crossorigin');
            push(out.stylesheets, {
              href,
              ...(integrity !== undefined && { integrity }),
              ...(crossorigin !== undefined && { crossorigin }),
            });
          }
          if (href && rels.some((r) => ACTIVE_LINK_RELS.has(r)))
            push(out.subresources, { url: href, kind: 'active', tag: 'link' });
          return;
        }
        if (name === 'form') {
          // An empty or missing action submits to the document itself (HTML §4.10.21.3).
          const action = attribs.action?.trim()
            ? (resolve(attribs.action, base) ?? cap(attribs.action))
            : documentUrl;
          openForm = {
            action,
            method: (attribs.method ?? 'get').trim().toLowerCase().slice(0, 20) || 'get',
            hasPassword: false,
          };
          push(out.forms, openForm);
          return;
        }
        if ((name === 'a' || name === 'area') && attribs.href !== undefined) {
          const href = resolve(attribs.href, base);
          if (href) push((out.links ??= []), href.split('#')[0]!);
          return;
        }
        if (name === 'input' && openForm && attribs.type?.trim().toLowerCase() === 'password')
          openForm.hasPassword = true;
        for (const [kind, tags] of [
          ['passive', PASSIVE_TAGS],
          ['active', ACTIVE_TAGS],
        ] as const) {
          for (const a of tags[name] ?? []) {
            const url = resolve(attribs[a], base);
            if (url) push(out.subresources, { url, kind, tag: name });
          }
        }
        if ((name === 'img' || name === 'source') && attribs.srcset) {
          for (const candidate of attribs.srcset.split(',').slice(0, 20)) {
            const url = resolve(candidate.trim().split(/\s+/)[0], base);
            if (url) push(out.subresources, { url, kind: 'passive', tag: name });
          }
        }
      },
      onclosetag(name) {
        if (name === 'form') openForm = undefined;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(body);
  parser.end();
  return out;
}

/** Never throws: a page that is not HTML gives no artefact, a parser failure gives an error. */
export function gatherHtml(final: ResponseArtefact | undefined): HtmlArtefact | undefined {
  if (!final || !isHtml(final)) return undefined;
  try {
    return extractHtml(final.body!, final.url);
  } catch (error) {
    return {
      metaCsp: [],
      scripts: [],
      stylesheets: [],
      forms: [],
      subresources: [],
      error: {
        code: 'html_failed',
        message: `could not parse the page: ${String((error as Error).message).slice(0, 200)}`,
      },
    };
  }
}
