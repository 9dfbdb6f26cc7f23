import { AppError } from '../../errors.ts';
import { explainScanError, type PlainError } from '../scans/error-text.ts';

/**
 * `example.com`, `example.com:8443/shop`: an address typed without a scheme. `javascript:…` or
 * `mailto:…` have one (a colon not followed by a port), and are judged as typed.
 */
export const isBareHost = (input: string): boolean => !/^[a-z][a-z0-9+.-]*:(?!\d+(?:[/?#]|$))/i.test(input);

const PROBE_TIMEOUT_MS = 8_000;

/** One GET through the SSRF guard: any HTTP answer counts (a 404 or 500 is still a web server). */
async function answers(url: string, allowPrivate: boolean): Promise<PlainError | undefined> {
  // The guarded HTTP client (undici) loads on first use rather than at start-up (issue 16).
  const { createSafeFetcher } = await import('../../scanner/gather/safe-fetch.ts');
  const fetcher = createSafeFetcher({
    allowPrivate,
    maxBodyBytes: 1024,
    maxRedirects: 0,
    timeouts: { totalMs: PROBE_TIMEOUT_MS },
  });
  try {
    const result = await fetcher.request(url, { readBody: false });
    if (!('error' in result)) return undefined;
    if (result.error.code === 'target_not_allowed') throw new AppError('target_not_allowed');
    return explainScanError(result.error);
  } finally {
    await fetcher.close();
  }
}

/**
 * A bare host is tried as https:// first, then http://; the answer says which one was taken and
 * why (`notice`). Neither answering is `site_unreachable`, with each attempt explained in
 * plain language; a full address (with its scheme) is taken as typed, without a probe.
 */
export async function chooseScheme(
  candidates: { https: string; http: string },
  allowPrivate: boolean,
): Promise<{ url: string; notice: string }> {
  const https = await answers(candidates.https, allowPrivate);
  if (!https)
    return { url: candidates.https, notice: `Added as ${candidates.https}: it answered over HTTPS.` };
  const http = await answers(candidates.http, allowPrivate);
  if (!http)
    return {
      url: candidates.http,
      notice:
        `Added as ${candidates.http}: ${candidates.https} did not answer (${https.detail}). ` +
        'Serving the site over HTTPS fixes many findings.',
    };
  throw new AppError('site_unreachable', undefined, {
    attempts: [
      { url: candidates.https, ...https },
      { url: candidates.http, ...http },
    ],
  });
}
