/**
 * TLS details gatherer: raw ClientHellos (tls-hello.ts) to the checked address of the TLS
 * endpoint. Per version, one hello offers every suite; then suites are enumerated by elimination
 * (offer a group, remove the one the server picks, repeat until it refuses) in five groups side
 * by side, so the probes in a row — what a long network path pays for — are those of one group. TLS 1.3 suites and groups are read from
 * HelloRetryRequests. The first TLS ≤ 1.2 answer also gives the presented chain, a stapled OCSP
 * response, the compression method and renegotiation_info.
 *
 * What cannot be tested from here is listed in `untested` with the reason, never guessed.
 */
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import {
  LEGACY_SUITES,
  suiteById,
  suiteTraits,
  TLS13_SUITES,
  type CipherSuite,
} from '../data/cipher-suites.ts';
import { MOZILLA_TLS_PROFILES } from '../data/mozilla-tls-profiles.ts';
import type { TlsDetailsArtefact, TlsVersion } from '../types.ts';
import { isIpLiteral } from './address-policy.ts';
import type { SafeFetcher } from './safe-fetch.ts';
import {
  groupName,
  GROUPS,
  sendHello,
  WIRE_VERSION,
  type HelloOptions,
  type HelloResult,
} from './tls-hello.ts';
import { tlsEndpoint } from './tls.ts';

/** At most this many ClientHellos per group of suites and version: a bound on what one scan costs the server. */
export const MAX_PROBES_PER_GROUP = 8;

const ALWAYS_UNTESTED = [
  'SSL 2.0 and 3.0: not probed',
  'client-initiated renegotiation: needs a completed handshake a raw probe does not make',
  'TLS 1.3 early data (0-RTT): not probed',
];

/**
 * Suites in groups eliminated side by side: insecure, outside Mozilla's profiles, old with forward
 * secrecy, old without (RSA key exchange), intermediate. A group is as long as its chain of probes.
 */
function groupOf(suite: CipherSuite): number {
  const t = suiteTraits(suite.iana);
  if (t.insecure) return 0;
  if (!MOZILLA_TLS_PROFILES.old.ciphers.includes(suite.openssl)) return 1;
  if (!MOZILLA_TLS_PROFILES.intermediate.ciphers.includes(suite.openssl)) return t.forwardSecrecy ? 2 : 3;
  return 4;
}

const LEGACY_GROUPS: CipherSuite[][] = [0, 1, 2, 3, 4].map((g) =>
  LEGACY_SUITES.filter((s) => groupOf(s) === g),
);

const kxOf = (id: number) => {
  const suite = suiteById(id);
  return suite ? suiteTraits(suite.iana).kx : '';
};

let rootCache: { key: string; roots: X509Certificate[] } | undefined;
function trustedRoots(extra: string[]): X509Certificate[] {
  const key = extra.join('\n');
  if (rootCache?.key !== key) {
    const roots: X509Certificate[] = [];
    for (const pem of [...tls.rootCertificates, ...extra]) {
      try {
        roots.push(new X509Certificate(pem));
      } catch {
        // An unparsable extra CA cannot anchor anything.
      }
    }
    rootCache = { key, roots };
  }
  return rootCache.roots;
}

const issuedBy = (cert: X509Certificate, issuer: X509Certificate) =>
  cert.checkIssued(issuer) && cert.verify(issuer.publicKey);

function chainFacts(
  ders: Buffer[],
  extraCas: string[],
): Pick<TlsDetailsArtefact, 'chain' | 'chainOrdered' | 'chainComplete'> {
  const certs = ders.map((d) => new X509Certificate(d));
  const chain = certs.map((c) => ({
    subject: c.subject.split('\n').join(', ').slice(0, 300),
    issuer: c.issuer.split('\n').join(', ').slice(0, 300),
  }));
  const chainOrdered = certs.every((c, i) => i === certs.length - 1 || issuedBy(c, certs[i + 1]!));
  // Complete: some sent certificate is a root, or is issued by a trusted root, and every link up to it was sent.
  const last = certs.at(-1)!;
  const selfSigned = last.checkIssued(last) && last.verify(last.publicKey);
  const chainComplete =
    chainOrdered && (selfSigned || trustedRoots(extraCas).some((root) => issuedBy(last, root)));
  return { chain, chainOrdered, chainComplete };
}

export async function gatherTlsDetails(
  url: URL,
  fetcher: SafeFetcher,
): Promise<TlsDetailsArtefact | undefined> {
  const endpoint = tlsEndpoint(url);
  if (!endpoint) return undefined;
  const host = endpoint.host.startsWith('[') ? endpoint.host.slice(1, -1) : endpoint.host;
  const artefact: TlsDetailsArtefact = {
    host,
    port: endpoint.port,
    suites: {},
    incomplete: [],
    untested: [...ALWAYS_UNTESTED],
    probes: 0,
  };
  const pinned = await fetcher.pin(host, endpoint.port);
  if (!pinned.ok) return { ...artefact, error: pinned.error };
  const ip = pinned.addresses[0]!;
  const servername = isIpLiteral(host) ? undefined : host.replace(/\.$/, '');
  const timeoutMs = fetcher.tlsOptions.connectTimeoutMs;
  const hello = (opts: HelloOptions): Promise<HelloResult> => {
    artefact.probes++;
    return sendHello(ip, endpoint.port, { ...opts, ...(servername && { servername }) }, timeoutMs, kxOf);
  };
  const firstAnswer: Partial<Record<TlsVersion, HelloResult>> = {};
  const failures: string[] = [];

  const expected = (version: TlsVersion) => WIRE_VERSION[version];

  /** Elimination within one group of suites: offer them all, drop the one picked, until refused. */
  async function eliminate(
    version: TlsVersion,
    ids: number[],
  ): Promise<{ found: number[]; capped: boolean }> {
    let remaining = ids;
    const found: number[] = [];
    for (let i = 0; i < MAX_PROBES_PER_GROUP; i++) {
      if (remaining.length === 0) return { found, capped: false };
      const r = await hello({ version, suites: remaining });
      if (r.kind === 'failed') {
        failures.push(`${version}: ${r.error ?? 'no answer'}`);
        return { found, capped: false };
      }
      if (
        r.kind === 'refused' ||
        r.suite === undefined ||
        r.version !== expected(version) ||
        !remaining.includes(r.suite)
      )
        return { found, capped: false };
      if (r.dhBits !== undefined) artefact.dhBits = Math.min(artefact.dhBits ?? Infinity, r.dhBits);
      found.push(r.suite);
      remaining = remaining.filter((id) => id !== r.suite);
    }
    return { found, capped: remaining.length > 0 };
  }

  /**
   * One hello offering every suite (its answer also carries the chain, OCSP, compression and
   * renegotiation facts), then the groups of GROUPS_OF eliminated in parallel: the probes in a
   * row are those of the largest group, not of the whole list.
   */
  async function enumerate(version: TlsVersion, groups: number[][]): Promise<void> {
    const legacy = version !== 'TLSv1.3';
    const first = await hello({
      version,
      suites: groups.flat(),
      ...(legacy && { ocsp: true, compression: true }),
    });
    if (first.kind === 'failed') {
      failures.push(`${version}: ${first.error ?? 'no answer'}`);
      return;
    }
    if (first.kind === 'refused' || first.suite === undefined || first.version !== expected(version)) {
      artefact.suites[version] = [];
      return;
    }
    firstAnswer[version] = first;
    if (first.dhBits !== undefined) artefact.dhBits = Math.min(artefact.dhBits ?? Infinity, first.dhBits);
    const picked = first.suite;
    const results = await Promise.all(
      groups.map((ids) =>
        eliminate(
          version,
          ids.filter((id) => id !== picked),
        ),
      ),
    );
    artefact.suites[version] = [picked, ...results.flatMap((r) => r.found)].map(
      (id) => suiteById(id)!.openssl,
    );
    if (results.some((r) => r.capped)) artefact.incomplete.push(version);
  }

  const legacyGroups = LEGACY_GROUPS.map((g) => g.map((s) => s.id));
  await Promise.all([
    enumerate('TLSv1', legacyGroups),
    enumerate('TLSv1.1', legacyGroups),
    enumerate('TLSv1.2', legacyGroups),
    enumerate('TLSv1.3', [TLS13_SUITES.map((s) => s.id)]),
  ]);

  const firstLegacy = firstAnswer['TLSv1.2'] ?? firstAnswer['TLSv1.1'] ?? firstAnswer.TLSv1;
  const tls13 = (artefact.suites['TLSv1.3'] ?? []).length > 0;
  if (tls13) {
    // One HelloRetryRequest per group: the server names the group or refuses (no key exchange on either side).
    const results = await Promise.all(
      Object.values(GROUPS).map((id) =>
        hello({ version: 'TLSv1.3', suites: TLS13_SUITES.map((s) => s.id), groups: [id] }),
      ),
    );
    artefact.groups = results
      .filter((r) => r.kind === 'accepted' && r.group !== undefined)
      .map((r) => groupName(r.group!));
  } else if (firstLegacy?.group !== undefined) {
    artefact.groups = [groupName(firstLegacy.group)];
    artefact.untested.push('groups other than the preferred one: only enumerated over TLS 1.3');
  }

  if (firstLegacy) {
    artefact.compression = firstLegacy.compression !== undefined && firstLegacy.compression !== 0;
    artefact.secureRenegotiation = firstLegacy.secureRenegotiation === true;
    artefact.ocspStapled = firstLegacy.ocspStapled === true;
    if (firstLegacy.certificates?.length) {
      try {
        Object.assign(artefact, chainFacts(firstLegacy.certificates, fetcher.tlsOptions.extraCas));
      } catch (error) {
        artefact.untested.push(
          `certificate chain: could not be parsed (${String((error as Error).message).slice(0, 100)})`,
        );
      }
    }
  } else if (tls13) {
    artefact.untested.push(
      'certificate chain order, OCSP stapling, compression and renegotiation: TLS 1.3 only, where they are encrypted or do not exist',
    );
    artefact.compression = false; // TLS 1.3 has no compression (RFC 8446 §4.1.2)
  }
  if (failures.length > 0 && Object.keys(artefact.suites).length === 0) {
    artefact.error = {
      code: 'tls_failed',
      message: `no raw TLS probe got an answer: ${failures[0]!.slice(0, 200)}`,
    };
  } else if (failures.length > 0) {
    artefact.untested.push(...failures.map((f) => `${f.slice(0, 150)} (probe failed)`));
  }
  return artefact;
}
