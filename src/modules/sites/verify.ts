import { promises as dns } from 'node:dns';

/** TXT lookup; injectable so tests use a stub resolver or a loopback DNS server, never public DNS. */
export type TxtResolver = (name: string) => Promise<string[][]>;

export const VERIFICATION_PATH = '/.well-known/vioscan-verification';
export const DNS_LABEL = '_vioscan-verification';
export const TXT_PREFIX = 'vioscan-verification=';

/** The resolver the API uses: the system's, or VERIFICATION_DNS_SERVERS. */
export function txtResolver(servers?: string): TxtResolver {
  const resolver = new dns.Resolver({ timeout: 3_000, tries: 2 });
  if (servers)
    resolver.setServers(
      servers
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );
  return (name) => resolver.resolveTxt(name);
}

export type VerificationResult = { ok: true } | { ok: false; reason: string };

/**
 * DNS method: a TXT record `vioscan-verification=<token>` at `_vioscan-verification.<host>`; a
 * dedicated label (as ACME's `_acme-challenge`) keeps it out of the apex's SPF and friends.
 */
export async function verifyByDns(
  host: string,
  token: string,
  resolve: TxtResolver,
): Promise<VerificationResult> {
  let records: string[][];
  try {
    records = await resolve(`${DNS_LABEL}.${host}`);
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'lookup_failed';
    return { ok: false, reason: code === 'ENOTFOUND' || code === 'ENODATA' ? 'no_record' : 'lookup_failed' };
  }
  // A long TXT value arrives in 255-byte chunks (RFC 7208 §3.3 convention): join them.
  const found = records.some((chunks) => chunks.join('').trim() === `${TXT_PREFIX}${token}`);
  return found ? { ok: true } : { ok: false, reason: 'token_mismatch' };
}

/** File method: `<origin>/.well-known/vioscan-verification` holds the token, fetched through the SSRF guard. */
export async function verifyByFile(
  origin: string,
  token: string,
  options: { allowPrivate: boolean },
): Promise<VerificationResult> {
  // The guarded HTTP client (undici) loads on first use rather than at start-up (issue 16).
  const { createSafeFetcher } = await import('../../scanner/gather/safe-fetch.ts');
  const fetcher = createSafeFetcher({
    allowPrivate: options.allowPrivate,
    maxBodyBytes: 4096,
    timeouts: { totalMs: 10_000 },
  });
  try {
    const result = await fetcher.request(new URL(VERIFICATION_PATH, origin).href);
    if ('error' in result) return { ok: false, reason: result.error.code };
    if (result.status !== 200) return { ok: false, reason: `http_${result.status}` };
    return result.body?.trim() === token ? { ok: true } : { ok: false, reason: 'token_mismatch' };
  } finally {
    await fetcher.close();
  }
}
