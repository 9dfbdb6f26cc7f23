/**
 * A small DNS stub client for the domain checks: one question per query, to ONE configured
 * recursive resolver, over UDP with a TCP retry when the answer is truncated (RFC 7766 §5).
 * node:dns cannot do this job: it hides the AD bit (DNSSEC validation status, RFC 4035 §3.2.3)
 * and has no TLSA lookup. Packets are built and parsed by dns-packet.
 *
 * Which server: `servers` when given (CLI `--dns-server`, tests: a loopback stub), otherwise the
 * first resolver of the system configuration (`dns.getServers()`, i.e. /etc/resolv.conf). The
 * resolver is infrastructure the operator chose, never the scanned site, so the SSRF guard does
 * not apply to it; nothing here dials an address taken from a scanned site.
 *
 * Queries set RD and AD (RFC 6840 §5.7: AD in a query asks a validating resolver to report
 * validation), plus EDNS0 with DO so signed answers are not stripped; CD is set only on request
 * (to tell a bogus answer from a broken server).
 */
import dgram from 'node:dgram';
import { randomInt } from 'node:crypto';
import dns from 'node:dns';
import net from 'node:net';
import packet, {
  type Answer,
  type DecodedPacket,
  type OptAnswer,
  type Packet,
  type RecordType,
} from 'dns-packet';

export interface DnsResponse {
  rcode: string;
  /** The AD bit: the resolver validated the answer with DNSSEC. */
  authenticated: boolean;
  answers: Answer[];
}

export interface DnsQueryOptions {
  /** Set CD (checking disabled): the resolver returns data even when validation fails. */
  checkingDisabled?: boolean;
}

/** The injectable query function the DNS gatherer uses. Rejects on timeout or network errors. */
export type DnsQuery = (name: string, type: RecordType, options?: DnsQueryOptions) => Promise<DnsResponse>;

export interface DnsClient {
  /** host:port of the resolver asked, for the report. */
  server: string;
  query: DnsQuery;
}

const MAX_RESPONSE = 65_535;

/** `host`, `host:port`, `[v6]:port` or a bare IPv6 address → host and port (53 by default). */
export function parseServer(spec: string): { host: string; port: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(spec);
  if (bracketed) return { host: bracketed[1]!, port: Number(bracketed[2] ?? 53) };
  if (net.isIPv6(spec)) return { host: spec, port: 53 };
  const [host, port] = spec.split(':');
  return { host: host!, port: Number(port ?? 53) };
}

function formatServer({ host, port }: { host: string; port: number }): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function buildQuery(id: number, name: string, type: RecordType, options: DnsQueryOptions): Packet {
  const opt: OptAnswer = {
    type: 'OPT',
    name: '.',
    udpPayloadSize: 1232,
    extendedRcode: 0,
    ednsVersion: 0,
    flags: packet.DNSSEC_OK,
    flag_do: true,
    options: [],
  };
  return {
    type: 'query' as const,
    id,
    flags:
      packet.RECURSION_DESIRED |
      packet.AUTHENTIC_DATA |
      (options.checkingDisabled ? packet.CHECKING_DISABLED : 0),
    questions: [{ type, name, class: 'IN' as const }],
    additionals: [opt],
  };
}

function matches(res: DecodedPacket, id: number, name: string, type: RecordType): boolean {
  const q = res.questions?.[0];
  return (
    res.id === id &&
    res.type === 'response' &&
    q !== undefined &&
    q.type === type &&
    q.name.toLowerCase() === name.toLowerCase()
  );
}

function toResponse(res: DecodedPacket): DnsResponse {
  return {
    rcode: (res as DecodedPacket & { rcode?: string }).rcode ?? 'NOERROR',
    authenticated: res.flag_ad,
    answers: res.answers ?? [],
  };
}

function udpQuery(
  server: { host: string; port: number },
  query: Buffer,
  accept: (res: DecodedPacket) => boolean,
  timeoutMs: number,
): Promise<DecodedPacket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(net.isIPv6(server.host) ? 'udp6' : 'udp4');
    const timer = setTimeout(
      () => finish(new Error(`DNS query to ${formatServer(server)} timed out`)),
      timeoutMs,
    );
    function finish(error: Error | null, res?: DecodedPacket) {
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(res!);
    }
    socket.on('error', (e) => finish(e));
    socket.on('message', (msg, rinfo) => {
      // Only the resolver we asked may answer, and only this question (RFC 5452 §9.1).
      if (rinfo.port !== server.port || msg.length > MAX_RESPONSE) return;
      let res: DecodedPacket;
      try {
        res = packet.decode(msg);
      } catch {
        return;
      }
      if (accept(res)) finish(null, res);
    });
    socket.send(query, server.port, server.host, (e) => e && finish(e));
  });
}

function tcpQuery(
  server: { host: string; port: number },
  query: Buffer,
  accept: (res: DecodedPacket) => boolean,
  timeoutMs: number,
): Promise<DecodedPacket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: server.host, port: server.port });
    const chunks: Buffer[] = [];
    let size = 0;
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`DNS query to ${formatServer(server)} timed out`)),
    );
    socket.on('connect', () => {
      const framed = Buffer.alloc(2 + query.length);
      framed.writeUInt16BE(query.length, 0);
      query.copy(framed, 2);
      socket.write(framed);
    });
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > MAX_RESPONSE + 2) return socket.destroy(new Error('DNS response too large'));
      const all = Buffer.concat(chunks);
      if (all.length < 2 || all.length < 2 + all.readUInt16BE(0)) return;
      socket.end();
      try {
        const res = packet.decode(all.subarray(2, 2 + all.readUInt16BE(0)));
        if (accept(res)) resolve(res);
        else reject(new Error('DNS response does not match the query'));
      } catch (e) {
        reject(e as Error);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('DNS connection closed without an answer')));
  });
}

export function createDnsClient(options: { servers?: string[]; timeoutMs?: number } = {}): DnsClient {
  const spec = options.servers?.[0] ?? dns.getServers()[0] ?? '127.0.0.1';
  const server = parseServer(spec);
  const timeoutMs = options.timeoutMs ?? 2_000;
  const query: DnsQuery = async (name, type, queryOptions = {}) => {
    const id = randomInt(0, 65_536);
    const wire = packet.encode(buildQuery(id, name, type, queryOptions));
    const accept = (res: DecodedPacket) => matches(res, id, name, type);
    let res = await udpQuery(server, wire, accept, timeoutMs);
    if (res.flag_tc) res = await tcpQuery(server, wire, accept, timeoutMs);
    return toResponse(res);
  };
  return { server: formatServer(server), query };
}
