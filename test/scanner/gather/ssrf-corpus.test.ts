/**
 * The SSRF corpus (security-anchors B.1, B.2, B.8): every row must be refused by checkTarget
 * AND by the fetcher, without a single dial attempt and with a security event naming the reason.
 */
import { describe, expect, it } from 'vitest';
import { classifyAddress, normaliseUrl } from '../../../src/scanner/gather/address-policy.ts';
import { TargetNotAllowedError } from '../../../src/scanner/gather/fetch-errors.ts';
import {
  checkTarget,
  createSafeFetcher,
  guardedConnector,
  type PinResult,
} from '../../../src/scanner/gather/safe-fetch.ts';
import { eventSink, forbiddenDialler, PUBLIC_V4, PUBLIC_V6 } from './helpers.ts';

type Row = [url: string, code: string, reason: string];

const LOOPBACK = 'loopback address 127.0.0.1';
const corpus: Row[] = [
  // IPv4 spelled every way the WHATWG parser accepts (B.2)
  ['http://2130706433/', 'target_not_allowed', LOOPBACK],
  ['http://0177.0.0.1/', 'target_not_allowed', LOOPBACK],
  ['http://017700000001/', 'target_not_allowed', LOOPBACK],
  ['http://00000177.0.0.1/', 'target_not_allowed', LOOPBACK],
  ['http://0x7f.1/', 'target_not_allowed', LOOPBACK],
  ['http://0x7f000001/', 'target_not_allowed', LOOPBACK],
  ['http://0x7f.0x00.0x00.0x01/', 'target_not_allowed', LOOPBACK],
  ['http://127.1/', 'target_not_allowed', LOOPBACK],
  ['http://127.0.1/', 'target_not_allowed', LOOPBACK],
  ['http://127.0.0.2/', 'target_not_allowed', 'loopback address 127.0.0.2'],
  ['http://%31%32%37.0.0.1/', 'target_not_allowed', LOOPBACK],
  ['http://①②⑦.⓪.⓪.①/', 'target_not_allowed', LOOPBACK],
  ['http://127。0。0。1/', 'target_not_allowed', LOOPBACK],
  ['http://012.0.0.1/', 'target_not_allowed', 'private address 10.0.0.1'],
  ['http://0/', 'target_not_allowed', 'unspecified address 0.0.0.0'],
  ['http://0.0.0.0:8080/', 'target_not_allowed', 'unspecified address 0.0.0.0'],
  ['http://10.0.0.1/', 'target_not_allowed', 'private address 10.0.0.1'],
  ['http://172.16.5.4/', 'target_not_allowed', 'private address 172.16.5.4'],
  ['http://192.168.1.1/', 'target_not_allowed', 'private address 192.168.1.1'],
  ['http://169.254.1.1/', 'target_not_allowed', 'link-local address 169.254.1.1'],
  ['http://100.64.0.1/', 'target_not_allowed', 'shared (CGNAT) address 100.64.0.1'],
  ['http://198.18.0.1/', 'target_not_allowed', 'benchmarking address 198.18.0.1'],
  ['http://192.0.2.1/', 'target_not_allowed', 'reserved address 192.0.2.1'],
  ['http://240.0.0.1/', 'target_not_allowed', 'reserved address 240.0.0.1'],
  ['http://224.0.0.1/', 'target_not_allowed', 'multicast address 224.0.0.1'],
  ['http://255.255.255.255/', 'target_not_allowed', 'broadcast address 255.255.255.255'],
  ['http://0xffffffff/', 'target_not_allowed', 'broadcast address 255.255.255.255'],
  // cloud metadata (B.5)
  [
    'http://169.254.169.254/latest/meta-data/',
    'target_not_allowed',
    'cloud metadata address 169.254.169.254',
  ],
  ['http://0xa9fea9fe/', 'target_not_allowed', 'cloud metadata address 169.254.169.254'],
  ['http://169.254.170.2/v2/credentials', 'target_not_allowed', 'cloud metadata address 169.254.170.2'],
  [
    'http://100.100.100.200/latest/meta-data/',
    'target_not_allowed',
    'cloud metadata address 100.100.100.200',
  ],
  ['http://[fd00:ec2::254]/', 'target_not_allowed', 'cloud metadata address fd00:ec2::254'],
  [
    'http://metadata.google.internal./',
    'target_not_allowed',
    'metadata.google.internal is a cloud metadata name',
  ],
  // IPv6 literals, including IPv4 embedded in IPv6 (B.1)
  ['http://[::1]/', 'target_not_allowed', 'loopback address ::1'],
  ['http://[::]/', 'target_not_allowed', 'unspecified address ::'],
  [
    'http://[::ffff:127.0.0.1]/',
    'target_not_allowed',
    `IPv4-mapped address ::ffff:7f00:1 embedding ${LOOPBACK}`,
  ],
  [
    'http://[::ffff:7f00:1]/',
    'target_not_allowed',
    `IPv4-mapped address ::ffff:7f00:1 embedding ${LOOPBACK}`,
  ],
  ['http://[0:0:0:0:0:ffff:127.0.0.1]/', 'target_not_allowed', `embedding ${LOOPBACK}`],
  ['http://[::ffff:a9fe:a9fe]/', 'target_not_allowed', 'embedding cloud metadata address 169.254.169.254'],
  ['http://[::7f00:1]/', 'target_not_allowed', `IPv4-compatible address ::7f00:1 embedding ${LOOPBACK}`],
  ['http://[::127.0.0.1]/', 'target_not_allowed', `IPv4-compatible address ::7f00:1 embedding ${LOOPBACK}`],
  ['http://[64:ff9b::7f00:1]/', 'target_not_allowed', `NAT64 address 64:ff9b::7f00:1 embedding ${LOOPBACK}`],
  ['http://[64:ff9b::a00:1]/', 'target_not_allowed', 'embedding private address 10.0.0.1'],
  ['http://[2002:7f00:1::1]/', 'target_not_allowed', `6to4 address 2002:7f00:1::1 embedding ${LOOPBACK}`],
  [
    'http://[2001:0:5db8:d822::80ff:fffe]/',
    'target_not_allowed',
    `Teredo address 2001:0:5db8:d822::80ff:fffe embedding ${LOOPBACK}`,
  ],
  ['http://[fe80::1]/', 'target_not_allowed', 'link-local address fe80::1'],
  ['http://[fc00::1]/', 'target_not_allowed', 'unique-local address fc00::1'],
  ['http://[ff02::1]/', 'target_not_allowed', 'multicast address ff02::1'],
  ['http://[2001:db8::1]/', 'target_not_allowed', 'reserved address 2001:db8::1'],
  // names that mean loopback whatever DNS says (RFC 6761 §6.3), trailing dot included
  ['http://localhost/', 'target_not_allowed', 'localhost is a loopback name'],
  ['http://localhost./', 'target_not_allowed', 'localhost is a loopback name'],
  ['http://LOCALHOST:3000/', 'target_not_allowed', 'localhost is a loopback name'],
  ['http://admin.localhost/', 'target_not_allowed', 'admin.localhost is a loopback name'],
  // userinfo, fragment and backslash tricks (B.2): decided on the parsed host
  ['http://example.com@127.0.0.1/', 'target_not_allowed', 'credentials'],
  ['http://user:pass@example.com/', 'target_not_allowed', 'credentials'],
  ['http://127.0.0.1#@example.com/', 'target_not_allowed', LOOPBACK],
  ['http://127.0.0.1:80\\@example.com/', 'target_not_allowed', LOOPBACK],
  // schemes and ports (B.4)
  ['gopher://127.0.0.1:6379/_INFO', 'target_not_allowed', 'scheme gopher: is not allowed'],
  ['file:///etc/passwd', 'target_not_allowed', 'scheme file: is not allowed'],
  ['ftp://example.com/', 'target_not_allowed', 'scheme ftp: is not allowed'],
  ['http://example.com:0/', 'target_not_allowed', 'port 0 is not allowed'],
  // malformed input fails closed
  ['http://a\nb.example/', 'invalid_url', 'whitespace or control characters'],
  ['http://a\tb.example/', 'invalid_url', 'whitespace or control characters'],
  ['http://1.1.1.1.1/', 'invalid_url', 'not a valid absolute URL'],
  ['//example.com/', 'invalid_url', 'not a valid absolute URL'],
  [`http://example.com/${'a'.repeat(2100)}`, 'invalid_url', 'longer than 2048'],
];

/** A resolver that fails the test if anything in the corpus reaches DNS. */
const noDns = async (host: string): Promise<never> => {
  throw new Error(`corpus row reached DNS for ${host}`);
};

describe('SSRF corpus', () => {
  it.each(corpus)('checkTarget refuses %j', async (url, code, reason) => {
    const verdict = await checkTarget(url, { resolver: noDns });
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.error.code).toBe(code);
    expect(verdict.error.message).toContain(reason);
  });

  it.each(corpus)('the fetcher refuses %j without dialling', async (url, code, reason) => {
    const dialler = forbiddenDialler();
    const sink = eventSink();
    const fetcher = createSafeFetcher({
      resolver: noDns,
      dial: dialler.dial,
      onSecurityEvent: sink.onSecurityEvent,
    });
    try {
      const chain = await fetcher.fetchChain(url);
      expect(chain.hops).toEqual([]);
      expect(chain.error?.code).toBe(code);
      expect(chain.error?.message).toContain(reason);
      expect(dialler.calls).toEqual([]);
      if (code === 'target_not_allowed') {
        expect(sink.events).toHaveLength(1);
        expect(sink.events[0]!.type).toBe('ssrf.blocked');
        expect(sink.events[0]!.reason).toContain(reason);
      }
    } finally {
      await fetcher.close();
    }
  });
});

describe('addresses that are allowed', () => {
  it.each([
    [PUBLIC_V4],
    [PUBLIC_V6],
    ['::ffff:93.184.215.14'], // IPv4-mapped public
    ['64:ff9b::5db8:d70e'], // NAT64 of a public IPv4 (DNS64 networks)
    ['8.8.8.8'],
  ])('%s is public unicast', (address) => {
    expect(classifyAddress(address).allowed).toBe(true);
  });

  it('checkTarget accepts a public literal without connecting or resolving', async () => {
    const verdict = await checkTarget(`https://${PUBLIC_V4}:8443/a?b#c`, { resolver: noDns });
    expect(verdict).toEqual({ ok: true, url: `https://${PUBLIC_V4}:8443/a?b`, addresses: [PUBLIC_V4] });
  });

  it('allowPrivate lets loopback and private through but never cloud metadata', async () => {
    expect((await checkTarget('http://127.0.0.1:8080/', { allowPrivate: true })).ok).toBe(true);
    expect((await checkTarget('http://[::1]/', { allowPrivate: true })).ok).toBe(true);
    expect((await checkTarget('http://10.1.2.3/', { allowPrivate: true })).ok).toBe(true);
    for (const url of [
      'http://169.254.169.254/',
      'http://[fd00:ec2::254]/',
      'http://metadata.google.internal/',
    ]) {
      const verdict = await checkTarget(url, { allowPrivate: true, resolver: noDns });
      expect(verdict.ok, url).toBe(false);
    }
  });

  // The outside probe's cases (issue 17 item 1): with ALLOW_PRIVATE_TARGETS on, every spelling of a
  // metadata address and every name resolving to one stays refused, before any dial.
  it.each([
    ['http://[::ffff:169.254.169.254]/', 'IPv4-mapped address ::ffff:a9fe:a9fe embedding cloud metadata'],
    ['http://[::ffff:a9fe:a9fe]/', 'IPv4-mapped address ::ffff:a9fe:a9fe embedding cloud metadata'],
    ['http://[64:ff9b::a9fe:a9fe]/', 'NAT64 address 64:ff9b::a9fe:a9fe embedding cloud metadata'],
    ['http://[64:ff9b:1::a9fe:a9fe]/', 'embedding cloud metadata address 169.254.169.254'],
    ['http://[::a9fe:a9fe]/', 'IPv4-compatible address ::a9fe:a9fe embedding cloud metadata'],
    ['http://[::169.254.169.254]/', 'IPv4-compatible address ::a9fe:a9fe embedding cloud metadata'],
    ['http://[2002:a9fe:a9fe::1]/', '6to4 address 2002:a9fe:a9fe::1 embedding cloud metadata'],
    // Teredo with the metadata address as server, then as (obfuscated) client
    ['http://[2001:0:a9fe:a9fe::1]/', 'Teredo address 2001:0:a9fe:a9fe::1 embedding cloud metadata'],
    ['http://[2001:0:5db8:d822::5601:5601]/', 'embedding cloud metadata address 169.254.169.254'],
    ['http://[fe80::5efe:a9fe:a9fe]/', 'cloud metadata address 169.254.169.254'],
    ['http://[::ffff:169.254.170.2]/', 'embedding cloud metadata address 169.254.170.2'],
    ['http://168.63.129.16/', 'cloud metadata address 168.63.129.16'],
    ['http://[::ffff:168.63.129.16]/', 'embedding cloud metadata address 168.63.129.16'],
  ])('allowPrivate never lets %s through', async (url, reason) => {
    const verdict = await checkTarget(url, { allowPrivate: true, resolver: noDns });
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.error.message).toContain(reason);
    const dialler = forbiddenDialler();
    const fetcher = createSafeFetcher({ allowPrivate: true, resolver: noDns, dial: dialler.dial });
    try {
      const chain = await fetcher.fetchChain(url);
      expect(chain.error?.code).toBe('target_not_allowed');
      expect(dialler.calls).toEqual([]);
    } finally {
      await fetcher.close();
    }
  });

  it.each([
    ['::ffff:169.254.169.254'],
    ['64:ff9b::a9fe:a9fe'],
    ['::a9fe:a9fe'],
    ['2002:a9fe:a9fe::1'],
    ['168.63.129.16'],
  ])('allowPrivate refuses a name resolving to %s', async (address) => {
    const resolver = async () => [{ address, family: address.includes(':') ? 6 : 4 }];
    const verdict = await checkTarget('http://rebind.example/', { allowPrivate: true, resolver });
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.error.message).toContain('rebind.example resolves to');
  });

  it('a public IPv6 address is not refused for its interface id alone unless that spells metadata', () => {
    expect(classifyAddress('2606:2800:21f:cb07::a9fe:a9ff').allowed).toBe(true);
    expect(classifyAddress('2606:2800:21f:cb07::a9fe:a9fe').forbidden).toBe(true);
  });

  it('normaliseUrl drops the fragment and keeps any path and explicit port', () => {
    const v = normaliseUrl('https://Example.COM:8443/x/y?z=1#frag');
    expect(v.ok && v.url.href).toBe('https://example.com:8443/x/y?z=1');
  });
});

describe('guardedConnector (the connect path, where Node would never call lookup for a literal)', () => {
  const pinAll = async (host: string): Promise<PinResult> => {
    const verdict = await checkTarget(`http://${host.includes(':') ? `[${host}]` : host}/`, {
      resolver: noDns,
    });
    return verdict.ok ? { ok: true, host, addresses: verdict.addresses } : verdict;
  };

  it.each([['127.0.0.1'], ['[::1]'], ['[::ffff:7f00:1]'], ['169.254.169.254'], ['0.0.0.0']])(
    'refuses to dial the literal %s',
    async (hostname) => {
      const dialler = forbiddenDialler();
      const connect = guardedConnector(pinAll, dialler.dial);
      const err = await new Promise<Error | null>((resolve) =>
        connect({ hostname, protocol: 'http:', port: '80' }, (...args) => resolve(args[0])),
      );
      expect(err).toBeInstanceOf(TargetNotAllowedError);
      expect(dialler.calls).toEqual([]);
    },
  );

  it('hands the dialler the checked IP and keeps the name as TLS servername', async () => {
    const seen: { hostname: string; servername?: string }[] = [];
    const connect = guardedConnector(
      async (host) => ({ ok: true, host, addresses: [PUBLIC_V6] }),
      (opts, cb) => {
        seen.push({ hostname: opts.hostname, ...(opts.servername && { servername: opts.servername }) });
        cb(new Error('stop here'), null);
      },
    );
    await new Promise((resolve) =>
      connect({ hostname: 'www.vioscan.test', protocol: 'https:', port: '443' }, () => resolve(undefined)),
    );
    // Bare, not bracketed: Node treats "[v6]" as a name and would look it up (the IPv6 scan bug).
    expect(seen).toEqual([{ hostname: PUBLIC_V6, servername: 'www.vioscan.test' }]);
  });
});
