/**
 * Serves the parity corpus (corpus.ts) in a process of its own, started by bench/observatory.ts, so
 * that neither scanner shares a thread with the servers it scans: Observatory runs in its own
 * process, and VIOscan's library call in the bench's, each a client only.
 *
 * Prints one JSON line when every site listens — `{ hosts: { name: ip }, caFile, caPem }` — and
 * closes the sites when its stdin closes. Each site listens on `<net><10 + index>`, ports 443 and
 * 80 (root or CAP_NET_BIND_SERVICE); BENCH_NET (default 127.0.14.) must be a loopback /24 prefix.
 */
import process from 'node:process';
import { disposeTestPki, testPki } from '../../test/sites/pki.ts';
import { startTestSite, type RunningSite } from '../../test/sites/site.ts';
import { CORPUS, hostOf } from './corpus.ts';

const NET = process.env.BENCH_NET ?? '127.0.14.';
if (!/^127\.\d{1,3}\.\d{1,3}\.$/.test(NET)) throw new Error(`BENCH_NET must look like 127.x.y., not ${NET}`);

async function startCorpus(): Promise<{ sites: RunningSite[]; hosts: Record<string, string> }> {
  const hosts: Record<string, string> = {};
  const sites: RunningSite[] = [];
  try {
    for (const [i, site] of CORPUS.entries()) {
      const address = `${NET}${10 + i}`;
      const hostname = hostOf(site.name);
      hosts[hostname] = address;
      const plain = site.http ?? 'redirect';
      sites.push(
        await startTestSite({
          tls: site.tls ?? 'valid',
          http: plain !== 'none',
          routes: site.routes,
          ...(plain === 'redirect'
            ? {
                httpRoutes: {
                  '*': (req) => ({ status: 301, headers: { location: `https://${hostname}${req.path}` } }),
                },
              }
            : plain !== 'none' && { httpRoutes: plain }),
          bind: { address, httpsPort: 443, httpPort: 80, hostname },
        }),
      );
    }
  } catch (error) {
    await Promise.all(sites.map((s) => s.close()));
    const code = (error as { code?: string }).code;
    if (code === 'EACCES')
      throw new Error(`binding ports 443 and 80 on ${NET}x needs root or CAP_NET_BIND_SERVICE`, {
        cause: error,
      });
    if (code === 'EADDRINUSE')
      throw new Error(`${NET}x is taken (another bench run?): set BENCH_NET, e.g. 127.0.16.`, {
        cause: error,
      });
    throw error;
  }
  return { sites, hosts };
}

const pki = await testPki();
const { sites, hosts } = await startCorpus();
process.stdout.write(`${JSON.stringify({ hosts, caFile: pki.caFile, caPem: pki.caPem })}\n`);
process.stdin.resume();
process.stdin.once('end', () => {
  void Promise.all(sites.map((s) => s.close()))
    .then(() => disposeTestPki())
    .then(() => process.exit(0));
});
