import type { Check } from '../types.ts';
import { chainFinal, headerValue, parseUrl, quote, result } from './helpers.ts';

export const httpRedirect: Check = {
  id: 'http-redirect',
  category: 'transport',
  title: 'HTTP redirects to HTTPS on the same host',
  failureTitle: 'HTTP does not redirect properly to HTTPS',
  description:
    'Requests the same host and path over plain HTTP. The first hop must go to HTTPS on the same host, ' +
    'so the browser can receive HSTS before going anywhere else.',
  remediation:
    'Answer every plain-HTTP request with a 301/308 redirect to the same host and path over HTTPS; ' +
    'redirect to other hosts only after that first hop.',
  references: [
    'https://developer.mozilla.org/en-US/docs/Web/Security/Practical_implementation_guides/TLS#http_redirections',
    'https://www.rfc-editor.org/rfc/rfc6797#section-7.2',
  ],
  requires: ['httpRedirect'],
  handlesArtefactErrors: true,
  outcomes: {
    'http-redirect-missing': 'Plain HTTP serves content instead of redirecting to HTTPS.',
    'http-redirect-not-to-https': 'Plain HTTP redirects, but the chain never reaches HTTPS.',
    'http-redirect-not-https-first': 'The chain reaches HTTPS, but the first hop goes to another HTTP URL.',
    'http-redirect-off-host':
      'The first hop goes to HTTPS on a different host, so HSTS for this host is never set.',
    'http-redirect-to-https': 'The first hop goes to HTTPS on the same host.',
    'http-redirect-not-needed': 'Nothing listens on plain HTTP, so no redirect is needed.',
  },
  run(a) {
    const chain = a.httpRedirect;
    if (!chain) return result('http-redirect-not-needed', 'skipped', 'no plain-HTTP request was made');
    if (chain.error) {
      // Observatory's "redirection-not-needed-no-http": a closed port 80 exposes nothing.
      return result('http-redirect-not-needed', 'pass', `plain HTTP not reachable (${chain.error.code})`);
    }
    const first = chain.hops[0];
    const start = parseUrl(chain.requestedUrl);
    const location = first ? headerValue(first.headers, 'location') : undefined;
    const isRedirect =
      first !== undefined && first.status >= 300 && first.status < 400 && location !== undefined;
    if (!isRedirect) {
      const ev = `GET ${quote(chain.requestedUrl)} answered ${first?.status ?? 'nothing'} without a redirect`;
      return result('http-redirect-missing', 'fail', ev, [
        { outcome: 'http-redirect-missing', title: 'Plain HTTP does not redirect to HTTPS', evidence: ev },
      ]);
    }
    const next = parseUrl(location ?? '', chain.requestedUrl);
    const last = chainFinal(chain);
    const finalUrl = parseUrl(last?.url ?? '');
    const ev = `first hop ${quote(chain.requestedUrl)} → ${quote(next?.href ?? location ?? '')}; final ${quote(finalUrl?.href ?? '?')}`;
    if (finalUrl?.protocol !== 'https:') {
      return result('http-redirect-not-to-https', 'fail', ev, [
        {
          outcome: 'http-redirect-not-to-https',
          title: 'The HTTP redirect chain never reaches HTTPS',
          evidence: ev,
        },
      ]);
    }
    if (next?.protocol !== 'https:') {
      return result('http-redirect-not-https-first', 'warn', ev, [
        {
          outcome: 'http-redirect-not-https-first',
          title: 'The first HTTP redirect is not to HTTPS',
          evidence: ev,
        },
      ]);
    }
    if (next.hostname !== start?.hostname) {
      return result('http-redirect-off-host', 'warn', ev, [
        {
          outcome: 'http-redirect-off-host',
          title: 'HTTP redirects to HTTPS on a different host',
          evidence: ev,
        },
      ]);
    }
    return result('http-redirect-to-https', 'pass', ev);
  },
};
