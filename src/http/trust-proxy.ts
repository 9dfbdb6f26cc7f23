/** What fastify's `trustProxy` accepts, built from TRUST_PROXY. */
export type TrustProxySetting = boolean | string[] | ((address: string, hop: number) => boolean);

/**
 * TRUST_PROXY → fastify `trustProxy`. request.ip and request.protocol then come from
 * X-Forwarded-For / X-Forwarded-Proto only as far back as the trusted hops reach, so a
 * client cannot spoof its address (and dodge rate limits) or fake HTTPS.
 */
export function trustProxySetting(value: string): TrustProxySetting {
  const trimmed = value.trim();
  if (trimmed === 'false' || trimmed === '') return false;
  if (trimmed === 'true') return true;
  if (/^\d+$/.test(trimmed)) {
    const hops = Number(trimmed);
    // Same meaning as proxy-addr's hop count: trust the closest `hops` addresses.
    return (_address, hop) => hop < hops;
  }
  return trimmed
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}
