import type { Check, FindingDraft } from '../types.ts';
import { finalResponse, isHttpsUrl, parseUrl, quote, result, worst } from './helpers.ts';

export const mixedContent: Check = {
  id: 'mixed-content',
  category: 'content',
  title: 'The HTTPS page loads nothing over HTTP',
  failureTitle: 'The HTTPS page loads resources over HTTP (mixed content)',
  description:
    'Lists subresources of the HTTPS page loaded over plain http:. Active content (scripts, styles, frames) is ' +
    'blocked by browsers and breaks the page, or — where not blocked — can be rewritten by a network attacker; ' +
    'passive content (images, media) leaks what is viewed.',
  remediation:
    'Load every subresource over https: (or relative URLs); add `upgrade-insecure-requests` to the CSP as a safety net.',
  references: ['https://www.w3.org/TR/mixed-content/'],
  requires: ['page', 'html'],
  outcomes: {
    'mixed-content-active': 'Scripts, stylesheets, frames or objects over http:.',
    'mixed-content-passive': 'Images, audio or video over http:.',
    'mixed-content-none': 'Every subresource uses https:.',
    'mixed-content-not-applicable': 'The page itself is not HTTPS.',
  },
  run(a) {
    const page = finalResponse(a)?.url ?? a.target;
    if (!isHttpsUrl(page))
      return result('mixed-content-not-applicable', 'skipped', `page ${quote(page)} is not HTTPS`);
    const found: FindingDraft[] = [];
    for (const r of a.html?.subresources ?? []) {
      if (parseUrl(r.url, page)?.protocol !== 'http:') continue;
      const outcome = r.kind === 'active' ? 'mixed-content-active' : 'mixed-content-passive';
      found.push({
        outcome,
        title: `<${r.tag.slice(0, 20)}> loaded over HTTP`,
        evidence: `<${r.tag.slice(0, 20)}> ${quote(r.url)}`,
      });
    }
    const bad = worst(found, Object.keys(mixedContent.outcomes), (o) =>
      o === 'mixed-content-active' ? 'fail' : 'warn',
    );
    return (
      bad ??
      result('mixed-content-none', 'pass', `${a.html?.subresources.length ?? 0} subresource(s), all https`)
    );
  },
};
