import type { Check, FindingDraft } from '../types.ts';
import { finalResponse, parseUrl, quote, result, worst } from './helpers.ts';

export const sri: Check = {
  id: 'sri',
  category: 'content',
  title: 'Cross-origin scripts and styles carry integrity hashes',
  failureTitle: 'Cross-origin scripts or styles lack Subresource Integrity',
  description:
    'Cross-origin <script src> and <link rel=stylesheet> need an `integrity` attribute, so a compromised CDN ' +
    'cannot change the code the page runs.',
  remediation:
    'Add `integrity="sha384-…" crossorigin="anonymous"` to third-party scripts and stylesheets (or self-host them).',
  references: ['https://www.w3.org/TR/SRI/'],
  requires: ['page', 'html'],
  outcomes: {
    'sri-missing-insecure': 'A cross-origin script without integrity is loaded over http:.',
    'sri-missing-script': 'A cross-origin script has no integrity attribute.',
    'sri-missing-stylesheet': 'A cross-origin stylesheet has no integrity attribute.',
    'sri-protected': 'Every cross-origin script and stylesheet has an integrity attribute.',
    'sri-not-needed': 'No cross-origin scripts or stylesheets.',
  },
  run(a) {
    const page = parseUrl(finalResponse(a)?.url ?? a.target);
    const items = [
      ...(a.html?.scripts ?? []).map((s) => ({
        url: s.src,
        integrity: s.integrity,
        kind: 'script' as const,
      })),
      ...(a.html?.stylesheets ?? []).map((s) => ({
        url: s.href,
        integrity: s.integrity,
        kind: 'stylesheet' as const,
      })),
    ];
    const found: FindingDraft[] = [];
    let crossOrigin = 0;
    for (const item of items) {
      const url = parseUrl(item.url, page?.href);
      if (!url || url.origin === page?.origin) continue;
      crossOrigin++;
      if (item.integrity?.trim()) continue;
      const evidence = `<${item.kind === 'script' ? 'script src' : 'link href'}=${quote(item.url)}> without integrity`;
      const outcome =
        item.kind === 'stylesheet'
          ? 'sri-missing-stylesheet'
          : url.protocol === 'http:'
            ? 'sri-missing-insecure'
            : 'sri-missing-script';
      found.push({ outcome, title: `Cross-origin ${item.kind} without integrity`, evidence });
    }
    const bad = worst(found, Object.keys(sri.outcomes), (o) =>
      o === 'sri-missing-stylesheet' ? 'warn' : 'fail',
    );
    if (bad) return bad;
    if (crossOrigin === 0) return result('sri-not-needed', 'pass', 'no cross-origin scripts or stylesheets');
    return result('sri-protected', 'pass', `${crossOrigin} cross-origin resource(s), all with integrity`);
  },
};
