/**
 * DNS gatherer: the records internet.nl and Hardenize judge a domain on, asked of one resolver
 * (dns-client.ts) in parallel: the host's A with AD (DNSSEC status), the zone's DNSKEY, CAA up
 * the tree, MX/TXT (SPF)/_dmarc/_mta-sts/_smtp._tls at the registrable domain, TLSA for HTTPS.
 * When an MTA-STS record exists, its policy file is fetched through the SSRF-guarded fetcher
 * without following redirects (RFC 8461 §3.3). Never throws: failures land in each lookup.
 */
import type { Answer, RecordType } from 'dns-packet';
import { getDomain } from 'tldts';
import type { DnsArtefact, DnsLookup, GatherError } from '../types.ts';
import { bareHost, isIpLiteral } from './address-policy.ts';
import type { DnsClient } from './dns-client.ts';
import type { SafeFetcher } from './safe-fetch.ts';

const MAX_RECORDS = 50;
const MAX_RECORD_TEXT = 1024;
const MAX_POLICY_BYTES = 64 * 1024;

/**
 * Special-use and documentation names (RFC 6761, RFC 6762, RFC 2606 §3, RFC 8375): no domain
 * records worth asking for, so no DNS queries for them unless a client is injected (tests).
 */
const SPECIAL_USE =
  /(^|\.)(test|invalid|localhost|example|local|internal|home\.arpa|example\.(com|net|org))\.?$/i;

export function dnsEligible(host: string): boolean {
  const bare = bareHost(host);
  return !isIpLiteral(bare) && bare.includes('.') && !SPECIAL_USE.test(bare);
}

const cap = (s: string) => (s.length > MAX_RECORD_TEXT ? s.slice(0, MAX_RECORD_TEXT) : s);

function text(value: unknown): string {
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (Array.isArray(value)) return value.map(text).join('');
  return String(value);
}

/** Record data in presentation form; answers of other types (a CNAME on the way) are dropped. */
function present(answer: Answer, type: RecordType): string | undefined {
  if (answer.type !== type) return undefined;
  switch (answer.type) {
    case 'TXT':
      return cap(text(answer.data));
    case 'MX':
      return cap(`${answer.data.preference ?? 0} ${answer.data.exchange}.`);
    case 'CAA':
      return cap(`${answer.data.flags ?? 0} ${answer.data.tag} "${answer.data.value}"`);
    case 'TLSA':
      return `${answer.data.usage} ${answer.data.selector} ${answer.data.matchingType} ${answer.data.certificate.toString('hex').slice(0, 256)}`;
    case 'DNSKEY':
      return `${answer.data.flags} 3 ${answer.data.algorithm}`;
    case 'A':
    case 'AAAA':
      return answer.data;
    default:
      return undefined;
  }
}

async function lookup(
  client: DnsClient,
  name: string,
  type: RecordType,
  checkingDisabled = false,
): Promise<DnsLookup> {
  try {
    const res = await client.query(name, type, { checkingDisabled });
    const records = res.answers
      .map((a) => present(a, type))
      .filter((r): r is string => r !== undefined)
      .slice(0, MAX_RECORDS);
    return { name, type, rcode: res.rcode, authenticated: res.authenticated, records };
  } catch (error) {
    const message = String((error as Error)?.message ?? error).slice(0, 200);
    return { name, type, records: [], error: { code: 'dns_failed', message } };
  }
}

/** The host and each parent down to the registrable domain: where CAA is looked for (RFC 8659 §3). */
export function caaNames(host: string, domain: string): string[] {
  const labels = host.split('.');
  const names: string[] = [];
  for (let i = 0; i < labels.length; i++) {
    const name = labels.slice(i).join('.');
    names.push(name);
    if (name === domain) break;
  }
  return names;
}

async function fetchPolicy(domain: string, fetcher: SafeFetcher): Promise<DnsArtefact['mtaStsPolicy']> {
  const url = `https://mta-sts.${domain}/.well-known/mta-sts.txt`;
  const res = await fetcher.request(url, { maxBodyBytes: MAX_POLICY_BYTES });
  if ('error' in res) return { url, error: res.error };
  const contentType = res.headers['content-type']?.[0];
  return {
    url,
    status: res.status,
    ...(contentType !== undefined && { contentType }),
    ...(res.body !== undefined && { body: res.body }),
  };
}

export async function gatherDns(
  host: string,
  client: DnsClient,
  fetcher: SafeFetcher,
): Promise<DnsArtefact | undefined> {
  const name = bareHost(host).toLowerCase().replace(/\.$/, '');
  if (isIpLiteral(name)) return undefined;
  const domain = getDomain(name, { allowPrivateDomains: false }) ?? name;
  const [address, dnskey, mx, txt, dmarc, mtaSts, tlsRpt, tlsa, ...caa] = await Promise.all([
    lookup(client, name, 'A'),
    lookup(client, domain, 'DNSKEY'),
    lookup(client, domain, 'MX'),
    lookup(client, domain, 'TXT'),
    lookup(client, `_dmarc.${domain}`, 'TXT'),
    lookup(client, `_mta-sts.${domain}`, 'TXT'),
    lookup(client, `_smtp._tls.${domain}`, 'TXT'),
    lookup(client, `_443._tcp.${name}`, 'TLSA'),
    ...caaNames(name, domain).map((n) => lookup(client, n, 'CAA')),
  ]);
  const artefact: DnsArtefact = {
    server: client.server,
    host: name,
    domain,
    address: address!,
    dnskey: dnskey!,
    caa,
    mx: mx!,
    txt: txt!,
    dmarc: dmarc!,
    mtaSts: mtaSts!,
    tlsRpt: tlsRpt!,
    tlsa: tlsa!,
  };
  // A validating resolver answers SERVFAIL for bogus data; with CD set it answers anyway (RFC 4035 §3.2.2).
  if (address!.rcode === 'SERVFAIL') artefact.addressUnchecked = await lookup(client, name, 'A', true);
  if (mtaSts!.records.some((r) => /^v=STSv1\s*(;|$)/.test(r))) {
    artefact.mtaStsPolicy = await fetchPolicy(domain, fetcher).catch((e): DnsArtefact['mtaStsPolicy'] => ({
      url: `https://mta-sts.${domain}/.well-known/mta-sts.txt`,
      error: { code: 'fetch_failed', message: String((e as Error)?.message ?? e).slice(0, 200) },
    }));
  }
  const all = [address!, dnskey!, mx!, txt!, dmarc!, mtaSts!, tlsRpt!, tlsa!, ...caa];
  if (all.every((l) => l.error)) {
    const error: GatherError = {
      code: 'dns_failed',
      message: `the resolver ${client.server} did not answer: ${address!.error!.message}`,
    };
    artefact.error = error;
  }
  return artefact;
}
