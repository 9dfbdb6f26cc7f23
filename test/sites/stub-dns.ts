/**
 * A stub DNS server on 127.0.0.1 (UDP) for SSRF tests: answers A/AAAA from a table, with
 * TTL 0, and counts queries so a test can prove how often a name was resolved. Names may map
 * to a function of the query count, which is how the rebinding case answers a public address
 * first and loopback afterwards. Speaks just enough of RFC 1035 §4 for dns.Resolver.
 *
 *   const dns = await startStubDns({ 'private.vioscan.test': { A: ['10.0.0.7'] } });
 *   const resolve = resolverFor(dns);  // a safe-fetch Resolver using dns.Resolver → the stub
 */
import dgram from 'node:dgram';
import { promises as dnsPromises } from 'node:dns';
import type { AddressInfo } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { Resolver } from '../../src/scanner/gather/safe-fetch.ts';

export interface Answer {
  A?: string[];
  AAAA?: string[];
}
export type ZoneEntry = Answer | ((queryNumber: number) => Answer);

export interface StubDns {
  server: string;
  /** Queries seen per `name/TYPE`, e.g. `rebind.vioscan.test/A`. */
  queries: Map<string, number>;
  close(): Promise<void>;
}

const TYPE_A = 1;
const TYPE_AAAA = 28;

function readName(msg: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let pos = offset;
  while (msg[pos]! !== 0) {
    const len = msg[pos]!;
    labels.push(msg.subarray(pos + 1, pos + 1 + len).toString('ascii'));
    pos += 1 + len;
  }
  return { name: labels.join('.').toLowerCase(), next: pos + 1 };
}

function reply(query: Buffer, zone: Record<string, ZoneEntry>, queries: Map<string, number>): Buffer {
  const { name, next } = readName(query, 12);
  const qtype = query.readUInt16BE(next);
  const question = query.subarray(12, next + 4);
  const typeName = qtype === TYPE_A ? 'A' : qtype === TYPE_AAAA ? 'AAAA' : String(qtype);
  const key = `${name}/${typeName}`;
  const count = (queries.get(key) ?? 0) + 1;
  queries.set(key, count);
  const entry = zone[name];
  const answer = typeof entry === 'function' ? entry(count) : entry;
  const addresses = (qtype === TYPE_A ? answer?.A : qtype === TYPE_AAAA ? answer?.AAAA : undefined) ?? [];
  const records = addresses.map((a) => {
    const rdata = Buffer.from(ipaddr.parse(a).toByteArray());
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); // pointer to the question's name
    rr.writeUInt16BE(qtype, 2);
    rr.writeUInt16BE(1, 4); // class IN
    rr.writeUInt32BE(0, 6); // TTL 0: nothing may cache it
    rr.writeUInt16BE(rdata.length, 10);
    return Buffer.concat([rr, rdata]);
  });
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2); // id
  // QR=1, RD copied, RA=1; RCODE 3 (NXDOMAIN) for names not in the zone.
  header.writeUInt16BE(0x8180 | (query.readUInt16BE(2) & 0x0100) | (entry ? 0 : 3), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  return Buffer.concat([header, question, ...records]);
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
  const resolver = new dnsPromises.Resolver({ timeout: 1000, tries: 1 });
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
