import type { Check } from '../types.ts';
import { finalResponse, isHttpsUrl, quote, result } from './helpers.ts';

export const https: Check = {
  id: 'https',
  category: 'transport',
  title: 'The site is served over HTTPS',
  failureTitle: 'The site is not served over HTTPS',
  description:
    'Checks that the page finally loads over HTTPS, so visitors get confidentiality and integrity.',
  remediation:
    'Serve the site over HTTPS with a certificate from a public CA (Let’s Encrypt is free) and redirect HTTP to it.',
  references: ['https://developer.mozilla.org/en-US/docs/Web/Security/Practical_implementation_guides/TLS'],
  requires: ['page'],
  outcomes: {
    'https-available': 'The final page was delivered over HTTPS.',
    'https-not-used': 'The final page was delivered over plain HTTP.',
  },
  run(a) {
    const url = finalResponse(a)?.url ?? a.target;
    if (isHttpsUrl(url)) return result('https-available', 'pass', `final URL ${quote(url)}`);
    return result('https-not-used', 'fail', `final URL ${quote(url)}`, [
      {
        outcome: 'https-not-used',
        title: 'The page is served over plain HTTP',
        evidence: `final URL ${quote(url)}`,
      },
    ]);
  },
};
