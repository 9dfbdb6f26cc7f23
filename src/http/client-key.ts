import { isIPv6 } from 'node:net';

/** The first 16-bit groups of an IPv6 address that name its /64 network. */
const NETWORK_GROUPS = 4;

/** The eight 16-bit groups of a valid IPv6 address (a zone such as `%eth0` is ignored). */
function groupsOf(ip: string): number[] {
  // The URL parser writes an embedded IPv4 address in hexadecimal, leaving only hex groups.
  const canonical = new URL(`http://[${ip.replace(/%.*$/, '')}]`).hostname.slice(1, -1);
  const [head = '', tail] = canonical.split('::');
  const parse = (part: string) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/**
 * Who a rate limit counts: an IPv4 address, an IPv4-mapped IPv6 address as the IPv4 address,
 * and any other IPv6 address by its /64, which one subscriber usually holds whole (RFC 6177), so
 * rotating addresses inside it does not reset the count. IPv6 keys are in RFC 5952 form.
 */
export function clientKey(ip: string): string {
  // Only an IPv6 address has a colon: IPv4 clients skip the validating regular expression.
  if (!ip.includes(':') || !isIPv6(ip)) return ip.toLowerCase();
  const groups = groupsOf(ip);
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff)
    return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.');
  const network = groups.slice(0, NETWORK_GROUPS).map((group) => group.toString(16));
  return new URL(`http://[${network.join(':')}::]`).hostname.slice(1, -1);
}
