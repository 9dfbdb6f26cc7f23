import { request } from 'undici';
import { mapLimit } from '../../scanner/map-limit.ts';

/**
 * A client for the OSV API (https://google.github.io/osv.dev/api/): `POST /v1/querybatch` answers
 * only the ids of the advisories affecting each package version, `GET /v1/vulns/{id}` the record.
 */

/** The parts of an OSV record (schema https://ossf.github.io/osv-schema/) that VIOscan reads. */
export interface OsvRecord {
  id: string;
  summary?: string;
  details?: string;
  aliases?: string[];
  modified?: string;
  severity?: { type: string; score: string }[];
  affected?: {
    package?: { ecosystem?: string; name?: string; purl?: string };
    severity?: { type: string; score: string }[];
    ranges?: { type: string; events: Record<string, string>[] }[];
  }[];
  database_specific?: { severity?: string; [key: string]: unknown };
}

export interface LockedPackage {
  name: string;
  version: string;
}

/** Any way the advisory source failed to answer: unreachable, an error status, or not OSV's JSON. */
export class AdvisorySourceError extends Error {
  override name = 'AdvisorySourceError';
}

const TIMEOUT_MS = 15_000;
/** OSV's limit of queries per batch. */
const BATCH_SIZE = 1000;
/** Follow-up rounds for queries answered with a next_page_token (a package with very many advisories). */
const MAX_PAGES = 10;
const DETAIL_CONCURRENCY = 4;
/** OSV ids: GHSA-…, CVE-…, PYSEC-…, GO-…; anything else is not put in a URL path. */
const OSV_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/** OSV_URL may carry a path (a mirror behind a prefix): the endpoint is appended to it. */
const endpoint = (osvUrl: string, path: string) => new URL(`${osvUrl.replace(/\/+$/, '')}${path}`);

async function fetchJson(url: URL, body?: unknown): Promise<unknown> {
  let response;
  try {
    response = await request(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'VIOscan-dependency-audit' },
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
    });
  } catch (error) {
    throw new AdvisorySourceError(`${url.origin}: ${(error as Error).message}`);
  }
  if (response.statusCode !== 200) {
    await response.body.dump();
    throw new AdvisorySourceError(`${url.origin}${url.pathname} answered ${response.statusCode}`);
  }
  try {
    return await response.body.json();
  } catch {
    throw new AdvisorySourceError(`${url.origin}${url.pathname} did not answer JSON`);
  }
}

interface BatchResult {
  vulns?: { id?: unknown }[];
  next_page_token?: string;
}

/** The advisory ids affecting each package, in input order (all pages of each answer). */
export async function queryAdvisoryIds(osvUrl: string, packages: LockedPackage[]): Promise<string[][]> {
  const ids = packages.map(() => new Set<string>());
  let pending = packages.map((p, index) => ({
    index,
    query: { package: { name: p.name, ecosystem: 'npm' }, version: p.version } as Record<string, unknown>,
  }));
  for (let page = 0; pending.length > 0; page++) {
    if (page === MAX_PAGES) throw new AdvisorySourceError(`querybatch: more than ${MAX_PAGES} pages`);
    const next: typeof pending = [];
    for (let start = 0; start < pending.length; start += BATCH_SIZE) {
      const chunk = pending.slice(start, start + BATCH_SIZE);
      const answer = (await fetchJson(endpoint(osvUrl, '/v1/querybatch'), {
        queries: chunk.map((p) => p.query),
      })) as { results?: BatchResult[] } | null;
      const results = answer?.results;
      if (!Array.isArray(results) || results.length !== chunk.length)
        throw new AdvisorySourceError('querybatch: the answer does not match the queries');
      results.forEach((result, i) => {
        const { index, query } = chunk[i]!;
        for (const vuln of result?.vulns ?? [])
          if (typeof vuln.id === 'string' && OSV_ID.test(vuln.id)) ids[index]!.add(vuln.id);
        if (typeof result?.next_page_token === 'string' && result.next_page_token)
          next.push({ index, query: { ...query, page_token: result.next_page_token } });
      });
    }
    pending = next;
  }
  return ids.map((set) => [...set]);
}

/** The full records of these advisories, fetched a few at a time. */
export async function fetchAdvisories(osvUrl: string, ids: string[]): Promise<Map<string, OsvRecord>> {
  const records = await mapLimit(ids, DETAIL_CONCURRENCY, async (id) => {
    const record = (await fetchJson(endpoint(osvUrl, `/v1/vulns/${encodeURIComponent(id)}`))) as OsvRecord;
    if (record?.id !== id) throw new AdvisorySourceError(`vulns/${id}: the answer is another record`);
    return record;
  });
  return new Map(records.map((r) => [r.id, r]));
}
