/**
 * Preloaded (`node --import`) into every process of the Observatory benchmark, ours and
 * Observatory's alike: names resolve only from VIOSCAN_BENCH_HOSTS (a JSON map name → loopback IP),
 * IP literals only when they are loopback, and every other lookup fails with ENOTFOUND. So however a
 * scanner follows redirects or builds URLs, it can never reach anything but loopback.
 */
import dns from 'node:dns';
import net from 'node:net';
import process from 'node:process';

const hosts = new Map(Object.entries(JSON.parse(process.env.VIOSCAN_BENCH_HOSTS ?? '{}')));
const loopback = (ip) => (net.isIPv4(ip) ? ip.startsWith('127.') : ip === '::1');
for (const ip of hosts.values()) {
  if (!loopback(ip)) throw new Error(`VIOSCAN_BENCH_HOSTS may only map names to loopback, not ${ip}`);
}

function answer(host) {
  const name = String(host).toLowerCase().replace(/\.$/, '');
  if (net.isIP(name)) return loopback(name) ? name : undefined;
  return hosts.get(name);
}

function notFound(host) {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${host} (benchmark: loopback names only)`), {
    code: 'ENOTFOUND',
    hostname: host,
  });
}

dns.lookup = function lookup(host, options, callback) {
  const cb = typeof options === 'function' ? options : callback;
  const all = typeof options === 'object' && options !== null && options.all;
  const address = answer(host);
  process.nextTick(() => {
    if (!address) return cb(notFound(host));
    const family = net.isIPv6(address) ? 6 : 4;
    return all ? cb(null, [{ address, family }]) : cb(null, address, family);
  });
};

dns.promises.lookup = async function lookup(host, options) {
  const address = answer(host);
  if (!address) throw notFound(host);
  const family = net.isIPv6(address) ? 6 : 4;
  return options?.all ? [{ address, family }] : { address, family };
};
