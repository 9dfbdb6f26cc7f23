/**
 * Observatory's subresource-integrity test (algorithm version 4): every `<script src>` of a page
 * served as HTML, in document order. A script is "similar origin" when it is relative, or an
 * absolute URL whose registrable domain (tldts) is the scanned host's; a protocol-relative
 * `//host/…` script is always external and never counts as loaded securely (its description says
 * so: "loaded over HTTP or use protocol-relative URLs").
 */
import { getDomain } from 'tldts';
import { parseUrl } from '../checks/helpers.ts';
import type { Artefacts } from '../types.ts';
import { servedAsHtml, startedOverHttps } from './observatory-view.ts';

/** Results from best to worst as the test ranks them; a later one replaces an earlier one. */
const ORDER = [
  'sri-implemented-and-all-scripts-loaded-securely',
  'sri-implemented-and-external-scripts-loaded-securely',
  'sri-implemented-but-external-scripts-not-loaded-securely',
  'sri-not-implemented-but-external-scripts-loaded-securely',
  'sri-not-implemented-and-external-scripts-not-loaded-securely',
  'sri-not-implemented-response-not-html',
];

export function classifySri(a: Artefacts): string {
  if (!servedAsHtml(a)) return 'sri-not-implemented-response-not-html';
  if (a.html?.error) return 'html-not-parseable';
  const scripts = a.html?.scripts ?? [];
  if ((a.html?.scriptElements ?? scripts.length) === 0) return 'sri-not-implemented-but-no-scripts-loaded';
  const site = getDomain(parseUrl(a.target)?.hostname ?? '');
  const httpsPage = startedOverHttps(a);
  let result: string | undefined;
  let foreign = false;
  const worse = (r: string) => {
    if (result === undefined || ORDER.indexOf(r) > ORDER.indexOf(result)) result = r;
  };
  for (const s of scripts) {
    const written = s.rawSrc ?? s.src;
    if (!written) continue;
    const integrity = Boolean(s.integrity);
    const protocolRelative = /^\/\/[^/]/.test(written);
    const absolute = /^https?:\/\//.test(written);
    const similar = !protocolRelative && (!absolute || getDomain(written) === site);
    const secureScheme = absolute ? written.startsWith('https:') : !protocolRelative && httpsPage;
    if (!similar) {
      foreign = true;
      if (integrity && !secureScheme) worse('sri-implemented-but-external-scripts-not-loaded-securely');
      else if (!integrity && secureScheme) worse('sri-not-implemented-but-external-scripts-loaded-securely');
      else if (!integrity) worse('sri-not-implemented-and-external-scripts-not-loaded-securely');
    } else if (integrity && secureScheme && result === undefined) {
      // A bonus even for same-origin scripts with integrity.
      result = 'sri-implemented-and-all-scripts-loaded-securely';
    }
  }
  return (
    result ??
    (foreign
      ? 'sri-implemented-and-external-scripts-loaded-securely'
      : 'sri-not-implemented-but-all-scripts-loaded-from-secure-origin')
  );
}
