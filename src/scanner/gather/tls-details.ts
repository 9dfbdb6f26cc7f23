/**
 * TLS details gatherer: raw ClientHellos (tls-hello.ts) to the checked address of the TLS
 * endpoint. Per version, one hello offers every suite; then suites are enumerated by elimination
 * (offer what is left, remove the one the server picks, repeat until it refuses) in four chains side
 * by side, so the probes in a row — what a long network path pays for — are those of one chain.
 * TLS 1.3 suites and groups are read from HelloRetryRequests; the groups are asked as soon as the
 * first TLS 1.3 answer is in. The first TLS ≤ 1.2 answer also gives the presented chain, a stapled
 * OCSP response, the compression method and renegotiation_info.
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
 * Suites in groups, the order the artefact lists them in: insecure, outside Mozilla's profiles, old
 * with forward secrecy, old without (RSA key exchange), intermediate.
 */
function groupOf(suite: CipherSuite): number {
  const t = suiteTraits(suite.iana);
  if (t.insecure) return 0;
  if (!MOZILLA_TLS_PROFILES.old.ciphers.includes(suite.openssl)) return 1;
  if (!MOZILLA_TLS_PROFILES.intermediate.ciphers.includes(suite.openssl)) return t.forwardSecrecy ? 2 : 3;
  return 4;
}

const LEGACY_GROUPS: number[][] = [0, 1, 2, 3, 4].map((g) =>
  LEGACY_SUITES.filter((s) => groupOf(s) === g).map((s) => s.id),
);

/**
 * The chains of elimination run side by side, each over one or more whole groups: a chain is as
 * long as the suites it finds, plus the refusal that ends it. Insecure and non-standard suites share
 * one chain: a well-kept server refuses both, and one refusal settles the two.
 */
const LEGACY_CHAINS: number[][][] = [
  [LEGACY_GROUPS[0]!, LEGACY_GROUPS[1]!],
  [LEGACY_GROUPS[2]!],
  [LEGACY_GROUPS[3]!],
  [LEGACY_GROUPS[4]!],
];

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

  /**
   * Elimination in one chain over one or more groups: offer what is left, drop the suite the server
   * picks, until it refuses. Each group keeps its own budget of MAX_PROBES_PER_GROUP finds: a group
   * that reaches it leaves the chain (capped) and the others go on, so sharing a chain changes
   * neither which suites are found nor the bound, only the refusals it takes to end.
   */
  async function eliminate(
    version: TlsVersion,
    groups: number[][],
  ): Promise<{ found: number[]; capped: boolean }> {
    const remaining = groups.map((g) => [...g]);
    const foundIn = groups.map(() => 0);
    const found: number[] = [];
    let capped = false;
    for (;;) {
      const offer = remaining.flat();
      if (offer.length === 0) return { found, capped };
      const r = await hello({ version, suites: offer });
      if (r.kind === 'failed') {
        failures.push(`${version}: ${r.error ?? 'no answer'}`);
        return { found, capped };
      }
      if (
        r.kind === 'refused' ||
        r.suite === undefined ||
        r.version !== expected(version) ||
        !offer.includes(r.suite)
      )
        return { found, capped };
      if (r.dhBits !== undefined) artefact.dhBits = Math.min(artefact.dhBits ?? Infinity, r.dhBits);
      const suite = r.suite;
      const k = remaining.findIndex((g) => g.includes(suite));
      found.push(suite);
      remaining[k] = remaining[k]!.filter((id) => id !== suite);
      if (++foundIn[k]! >= MAX_PROBES_PER_GROUP) {
        capped ||= remaining[k]!.length > 0;
        remaining[k] = [];
      }
    }
  }

  /**
   * One hello offering every suite (its answer also carries the chain, OCSP, compression and
   * renegotiation facts), then the chains eliminated in parallel: the probes in a row are those
   * of the longest chain, not of the whole list. `chains` holds groups of suite ids; the suites
   * found are listed group by group, each group in the server's order (a chain over two groups
   * finds them in the server's order across both: split by group, each keeps its order).
   */
  async function enumerate(
    version: TlsVersion,
    chains: number[][][],
    onAccepted?: (first: HelloResult) => void,
  ): Promise<void> {
    const legacy = version !== 'TLSv1.3';
    const groups = chains.flat();
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
    onAccepted?.(first);
    if (first.dhBits !== undefined) artefact.dhBits = Math.min(artefact.dhBits ?? Infinity, first.dhBits);
    const picked = first.suite;
    const results = await Promise.all(
      chains.map((chain) =>
        eliminate(
          version,
          chain.map((g) => g.filter((id) => id !== picked)),
        ),
      ),
    );
    const groupIndex = (id: number) => groups.findIndex((g) => g.includes(id));
    const found = results.flatMap((r) => r.found).sort((a, b) => groupIndex(a) - groupIndex(b));
    artefact.suites[version] = [picked, ...found].map((id) => suiteById(id)!.openssl);
    if (results.some((r) => r.capped)) artefact.incomplete.push(version);
  }

  const tls13Suites = TLS13_SUITES.map((s) => s.id);
  /**
   * TLS 1.3 groups: one HelloRetryRequest per group, the server names it or refuses (no key
   * exchange on either side). They start as soon as the first TLS 1.3 answer is in, beside the
   * suite elimination, and the group that answer named is known already: not asked again.
   */
  let groupAnswers: Promise<HelloResult[]> | undefined;
  const probeGroups = (first: HelloResult) => {
    groupAnswers = Promise.all(
      Object.values(GROUPS).map((id) =>
        id === first.group ? first : hello({ version: 'TLSv1.3', suites: tls13Suites, groups: [id] }),
      ),
    );
  };
  await Promise.all([
    enumerate('TLSv1', LEGACY_CHAINS),
    enumerate('TLSv1.1', LEGACY_CHAINS),
    enumerate('TLSv1.2', LEGACY_CHAINS),
    enumerate('TLSv1.3', [[tls13Suites]], probeGroups),
  ]);

  const firstLegacy = firstAnswer['TLSv1.2'] ?? firstAnswer['TLSv1.1'] ?? firstAnswer.TLSv1;
  const tls13 = (artefact.suites['TLSv1.3'] ?? []).length > 0;
  if (tls13 && groupAnswers) {
    artefact.groups = (await groupAnswers)
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
