/**
 * A stub DNS server on 127.0.0.1 (UDP) for SSRF and domain-check tests: answers A/AAAA, TXT,
 * MX, CAA, TLSA and DNSKEY from a table, with TTL 0, optionally with the AD bit or a failing
 * RCODE, and counts queries so a test can prove how often a name was resolved. Names may map
 * to a function of the query count, which is how the rebinding case answers a public address
 * first and loopback afterwards. Packets are encoded by dns-packet.
 *
 *   const dns = await startStubDns({ 'private.vioscan.test': { A: ['10.0.0.7'] } });
 *   const resolve = resolverFor(dns);  // a safe-fetch Resolver using dns.Resolver → the stub
 *   const client = dnsClientFor(dns);  // the scanner's DNS client (domain checks) → the stub
 */
import dgram from 'node:dgram';
import { promises as dnsPromises } from 'node:dns';
import type { AddressInfo } from 'node:net';
import packet, { type Answer as PacketAnswer, type DecodedPacket } from 'dns-packet';
import type { DnsClient } from '../../src/scanner/gather/dns-client.ts';
import { createDnsClient } from '../../src/scanner/gather/dns-client.ts';
import type { Resolver } from '../../src/scanner/gather/safe-fetch.ts';

export interface Answer {
  A?: string[];
  AAAA?: string[];
  /** Each record's text (one string per record). */
  TXT?: string[];
  /** `10 mx.example.test` */
  MX?: string[];
  /** `0 issue "ca.example"` */
  CAA?: string[];
  /** `3 1 1 <hex>` */
  TLSA?: string[];
  /** `257 3 13`: flags, protocol, algorithm (the key itself is a placeholder). */
  DNSKEY?: string[];
  /** Set the AD bit on answers for this name (a validating resolver vouches for it). */
  ad?: boolean;
  /** Answer with this RCODE instead (e.g. SERVFAIL); with `servfailUnlessCd`, only without the CD bit. */
  rcode?: 'SERVFAIL' | 'REFUSED' | 'NXDOMAIN';
  servfailUnlessCd?: boolean;
}
export type ZoneEntry = Answer | ((queryNumber: number) => Answer);

export interface StubDns {
  server: string;
  /** Queries seen per `name/TYPE`, e.g. `rebind.vioscan.test/A`. */
  queries: Map<string, number>;
  close(): Promise<void>;
}

const RCODES = { NOERROR: 0, NXDOMAIN: 3, SERVFAIL: 2, REFUSED: 5 } as const;

function records(name: string, type: string, answer: Answer | undefined): PacketAnswer[] {
  const base = { name, ttl: 0, class: 'IN' as const };
  switch (type) {
    case 'A':
    case 'AAAA':
      return (answer?.[type] ?? []).map((data) => ({ ...base, type, data }));
    case 'TXT':
      return (answer?.TXT ?? []).map((text) => ({
        ...base,
        type: 'TXT' as const,
        // Character strings are at most 255 bytes (RFC 1035 §3.3): long records are split.
        data: text.match(/[\s\S]{1,255}/g) ?? [''],
      }));
    case 'MX':
      return (answer?.MX ?? []).map((r) => {
        const [preference, exchange] = r.split(' ');
        return {
          ...base,
          type: 'MX' as const,
          data: { preference: Number(preference), exchange: exchange! },
        };
      });
    case 'CAA':
      return (answer?.CAA ?? []).map((r) => {
        const m = /^(\d+) (\S+) "(.*)"$/.exec(r)!;
        return {
          ...base,
          type: 'CAA' as const,
          data: { flags: Number(m[1]), tag: m[2] as 'issue', value: m[3]! },
        };
      });
    case 'TLSA':
      return (answer?.TLSA ?? []).map((r) => {
        const [usage, selector, matchingType, hex] = r.split(' ');
        return {
          ...base,
          type: 'TLSA' as const,
          data: {
            usage: Number(usage),
            selector: Number(selector),
            matchingType: Number(matchingType),
            certificate: Buffer.from(hex!, 'hex'),
          },
        };
      });
    case 'DNSKEY':
      return (answer?.DNSKEY ?? []).map((r) => {
        const [flags, , algorithm] = r.split(' ');
        return {
          ...base,
          type: 'DNSKEY' as const,
          data: { flags: Number(flags), algorithm: Number(algorithm), key: Buffer.alloc(32, 1) },
        };
      });
    default:
      return [];
  }
}

function reply(query: Buffer, zone: Record<string, ZoneEntry>, queries: Map<string, number>): Buffer {
  const q: DecodedPacket = packet.decode(query);
  const question = q.questions![0]!;
  const name = question.name.toLowerCase();
  const key = `${name}/${question.type}`;
  const count = (queries.get(key) ?? 0) + 1;
  queries.set(key, count);
  const entry = zone[name];
  const answer = typeof entry === 'function' ? entry(count) : entry;
  const failing = answer?.rcode && !(answer.servfailUnlessCd && q.flag_cd);
  const rcode = failing ? RCODES[answer.rcode!] : entry ? 0 : RCODES.NXDOMAIN;
  const flags =
    packet.RECURSION_DESIRED |
    packet.RECURSION_AVAILABLE |
    (answer?.ad && !failing ? packet.AUTHENTIC_DATA : 0) |
    (q.flag_cd ? packet.CHECKING_DISABLED : 0) |
    rcode;
  return packet.encode({
    type: 'response',
    id: q.id,
    flags,
    questions: [question],
    answers: failing ? [] : records(question.name, question.type, answer),
  });
}

export async function startStubDns(zone: Record<string, ZoneEntry>): Promise<StubDns> {
  const socket = dgram.createSocket('udp4');
  const queries = new Map<string, number>();
  socket.on('message', (msg, rinfo) => {
    try {
      socket.send(reply(msg, zone, queries), rinfo.port, rinfo.address);
    } catch {
      // A malformed query gets no answer, like a real server under attack would give.
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address() as AddressInfo;
  return {
    server: `127.0.0.1:${port}`,
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** A Resolver (safe-fetch's injectable shape) that asks only the stub, via node:dns's Resolver. */
export function resolverFor(stub: StubDns): Resolver {
  const resolver = new dnsPromises.Resolver({ timeout: 3000, tries: 1 });
  resolver.setServers([stub.server]);
  return async (host) => {
    const [v4, v6] = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]);
    const out = [
      ...(v4.status === 'fulfilled' ? v4.value.map((address) => ({ address, family: 4 })) : []),
      ...(v6.status === 'fulfilled' ? v6.value.map((address) => ({ address, family: 6 })) : []),
    ];
    if (out.length === 0 && v4.status === 'rejected') throw v4.reason;
    return out;
  };
}

/** The scanner's DNS client (gather/dns-client.ts) asking only the stub. */
export function dnsClientFor(stub: StubDns): DnsClient {
  return createDnsClient({ servers: [stub.server], timeoutMs: 3000 });
}
