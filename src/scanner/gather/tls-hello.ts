/**
 * A raw TLS ClientHello and what the server answers up to the end of its first flight, the way
 * SSL Labs and sslyze probe: no handshake is completed, so any suite, group or compression
 * method can be offered — even ones the local OpenSSL no longer implements — and the client does
 * no cryptography. TLS 1.3 probes send an empty key_share (RFC 8446 §4.2.8), so a server that
 * accepts answers with a HelloRetryRequest naming its suite and group without doing any key
 * exchange either. Below TLS 1.3 the flight is plaintext: ServerHello, Certificate (the chain as
 * presented), CertificateStatus (a stapled OCSP response), ServerKeyExchange (curve, DH size).
 *
 * Dials only the checked IP it is given (the caller pins it through the SSRF guard). Everything
 * read is hostile: lengths are bounds-checked and the total is capped.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';

export const WIRE_VERSION = {
  TLSv1: 0x0301,
  'TLSv1.1': 0x0302,
  'TLSv1.2': 0x0303,
  'TLSv1.3': 0x0304,
} as const;
export type WireVersionName = keyof typeof WIRE_VERSION;

/** Named groups (RFC 8446 §4.2.7, RFC 8422, RFC 7919). */
export const GROUPS: Record<string, number> = {
  x25519: 0x001d,
  secp256r1: 0x0017,
  secp384r1: 0x0018,
  secp521r1: 0x0019,
  x448: 0x001e,
  ffdhe2048: 0x0100,
  ffdhe3072: 0x0101,
};
const GROUP_NAMES = new Map(Object.entries(GROUPS).map(([name, id]) => [id, name]));
export const groupName = (id: number) => GROUP_NAMES.get(id) ?? `0x${id.toString(16).padStart(4, '0')}`;

const SIGNATURE_ALGORITHMS = [
  0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201,
];
/** SHA-256("HelloRetryRequest"): the ServerHello.random of a HelloRetryRequest (RFC 8446 §4.1.3). */
const HRR_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');
const MAX_READ = 256 * 1024;
const MAX_CERTS = 10;

export interface HelloOptions {
  version: WireVersionName;
  suites: number[];
  groups?: number[];
  servername?: string;
  /** Offer DEFLATE compression besides null (CRIME, RFC 3749). */
  compression?: boolean;
  /** Ask for a stapled OCSP response (status_request, RFC 6066 §8). */
  ocsp?: boolean;
}

export interface HelloResult {
  kind: 'accepted' | 'refused' | 'failed';
  /** TLS alert description when the server refused with one. */
  alert?: number;
  version?: number;
  suite?: number;
  compression?: number;
  helloRetry?: boolean;
  /** TLS 1.3: the group of the HelloRetryRequest; below: the curve of the ServerKeyExchange. */
  group?: number;
  /** Bits of the DH prime in a DHE ServerKeyExchange. */
  dhBits?: number;
  /** renegotiation_info in the ServerHello (RFC 5746). */
  secureRenegotiation?: boolean;
  /** DER certificates in the order the server sent them (below TLS 1.3 only). */
  certificates?: Buffer[];
  ocspStapled?: boolean;
  error?: string;
}

const u8 = (n: number) => Buffer.from([n & 0xff]);
const u16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const u24 = (n: number) => Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
const vec16 = (b: Buffer) => Buffer.concat([u16(b.length), b]);
const vec8 = (b: Buffer) => Buffer.concat([u8(b.length), b]);
const ext = (type: number, body: Buffer) => Buffer.concat([u16(type), vec16(body)]);
const list16 = (items: number[]) => vec16(Buffer.concat(items.map(u16)));

export function buildClientHello(opts: HelloOptions): Buffer {
  const tls13 = opts.version === 'TLSv1.3';
  const legacyVersion = tls13 ? 0x0303 : WIRE_VERSION[opts.version];
  const groups = opts.groups ?? [GROUPS.x25519!, GROUPS.secp256r1!, GROUPS.secp384r1!, GROUPS.secp521r1!];
  const extensions = [
    ...(opts.servername
      ? [ext(0x0000, vec16(Buffer.concat([u8(0), vec16(Buffer.from(opts.servername, 'ascii'))])))]
      : []),
    ext(0x000a, list16(groups)),
    ext(0x000b, vec8(Buffer.from([0]))),
    ext(0x000d, list16(SIGNATURE_ALGORITHMS)),
    ext(0x0017, Buffer.alloc(0)),
    ext(0xff01, vec8(Buffer.alloc(0))),
    ...(opts.ocsp ? [ext(0x0005, Buffer.from([1, 0, 0, 0, 0]))] : []),
    ...(tls13
      ? [
          ext(0x002b, vec8(u16(0x0304))),
          ext(0x002d, vec8(Buffer.from([1]))),
          // An empty key_share: an accepting server must answer with a HelloRetryRequest.
          ext(0x0033, vec16(Buffer.alloc(0))),
        ]
      : []),
  ];
  const body = Buffer.concat([
    u16(legacyVersion),
    randomBytes(32),
    vec8(tls13 ? randomBytes(32) : Buffer.alloc(0)),
    list16(opts.suites),
    vec8(Buffer.from(opts.compression ? [1, 0] : [0])),
    vec16(Buffer.concat(extensions)),
  ]);
  const handshake = Buffer.concat([u8(1), u24(body.length), body]);
  return Buffer.concat([u8(22), u16(tls13 ? 0x0301 : Math.min(legacyVersion, 0x0301)), vec16(handshake)]);
}

class Reader {
  constructor(
    private readonly b: Buffer,
    private pos = 0,
  ) {}
  get left() {
    return this.b.length - this.pos;
  }
  take(n: number): Buffer {
    if (n > this.left) throw new Error('truncated');
    const out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  u8 = () => this.take(1)[0]!;
  u16 = () => this.take(2).readUInt16BE(0);
  u24 = () => this.take(3).readUIntBE(0, 3);
}

function parseServerHello(body: Buffer, out: HelloResult): void {
  const r = new Reader(body);
  out.version = r.u16();
  out.helloRetry = r.take(32).equals(HRR_RANDOM);
  r.take(r.u8());
  out.suite = r.u16();
  out.compression = r.u8();
  if (r.left < 2) return;
  const exts = new Reader(r.take(r.u16()));
  while (exts.left >= 4) {
    const type = exts.u16();
    const data = new Reader(exts.take(exts.u16()));
    if (type === 0x002b && data.left >= 2) out.version = data.u16();
    else if (type === 0x0033 && data.left >= 2) out.group = data.u16();
    else if (type === 0xff01) out.secureRenegotiation = true;
  }
}

function parseCertificates(body: Buffer): Buffer[] {
  const r = new Reader(body);
  const list = new Reader(r.take(r.u24()));
  const certs: Buffer[] = [];
  while (list.left >= 3 && certs.length < MAX_CERTS) certs.push(Buffer.from(list.take(list.u24())));
  return certs;
}

function parseKeyExchange(body: Buffer, out: HelloResult, suiteKx: 'ECDHE' | 'DHE' | string): void {
  const r = new Reader(body);
  if (suiteKx === 'ECDHE' && r.u8() === 3) out.group = r.u16();
  if (suiteKx === 'DHE') {
    const p = r.take(r.u16());
    let i = 0;
    while (i < p.length && p[i] === 0) i++;
    out.dhBits = (p.length - i) * 8;
  }
}

/**
 * Sends one ClientHello to `ip:port` and reads the answer. `kxOf` tells how to read a
 * ServerKeyExchange for the chosen suite. Never throws: network trouble is `failed`.
 */
export function sendHello(
  ip: string,
  port: number,
  opts: HelloOptions,
  timeoutMs: number,
  kxOf: (suite: number) => string = () => '',
): Promise<HelloResult> {
  return new Promise((resolve) => {
    const out: HelloResult = { kind: 'failed' };
    let buffered = Buffer.alloc(0);
    let handshake = Buffer.alloc(0);
    let total = 0;
    let done = false;
    const socket = net.connect({ host: ip, port });
    const finish = (kind?: HelloResult['kind'], error?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (kind) out.kind = kind;
      if (error) out.error = error;
      resolve(out);
    };
    const timer = setTimeout(
      () => finish(out.suite !== undefined ? 'accepted' : 'failed', 'timed out'),
      timeoutMs,
    );
    socket.on('connect', () => socket.write(buildClientHello(opts)));
    socket.on('error', (e: Error & { code?: string }) =>
      // A reset right after the hello is how some servers refuse; before it, the port is closed.
      finish(
        out.suite !== undefined ? 'accepted' : e.code === 'ECONNRESET' ? 'refused' : 'failed',
        e.code ?? e.message,
      ),
    );
    socket.on('close', () => finish(out.suite !== undefined ? 'accepted' : 'refused', 'connection closed'));
    socket.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > MAX_READ) return finish('failed', 'answer too large');
      buffered = Buffer.concat([buffered, chunk]);
      try {
        while (buffered.length >= 5) {
          const type = buffered[0]!;
          const length = buffered.readUInt16BE(3);
          if (buffered.length < 5 + length) return;
          const fragment = buffered.subarray(5, 5 + length);
          buffered = buffered.subarray(5 + length);
          if (type === 21) {
            out.alert = fragment[1];
            return finish(out.suite !== undefined ? 'accepted' : 'refused');
          }
          // Past the ServerHello of TLS 1.3 everything is encrypted (or a compatibility CCS).
          if (type !== 22)
            return finish(out.suite !== undefined ? 'accepted' : 'failed', `record type ${type}`);
          handshake = Buffer.concat([handshake, fragment]);
          while (handshake.length >= 4) {
            const msgType = handshake[0]!;
            const msgLength = handshake.readUIntBE(1, 3);
            if (handshake.length < 4 + msgLength) break;
            const body = handshake.subarray(4, 4 + msgLength);
            handshake = handshake.subarray(4 + msgLength);
            if (msgType === 2) {
              parseServerHello(body, out);
              if (out.helloRetry || out.version === 0x0304) return finish('accepted');
            } else if (msgType === 11) out.certificates = parseCertificates(body);
            else if (msgType === 22) out.ocspStapled = body[0] === 1;
            else if (msgType === 12 && out.suite !== undefined) parseKeyExchange(body, out, kxOf(out.suite));
            else if (msgType === 14) return finish('accepted');
          }
        }
      } catch (e) {
        finish(out.suite !== undefined ? 'accepted' : 'failed', `malformed answer: ${(e as Error).message}`);
      }
    });
  });
}
