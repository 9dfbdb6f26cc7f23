/**
 * The fixture sites of bench/scan.ts, in their own process: on a real network the scanned
 * servers' CPU is not the scanner's, so the benchmark keeps it out of the scanner's event loop.
 * Talks to the parent over IPC: sends { urls, caPem } when listening, answers 'cpu' with its
 * CPU time, and exits on 'stop'. Loopback only.
 */
import { disposeTestPki } from '../test/sites/pki.ts';
import { startTestSite } from '../test/sites/site.ts';
import { SPECS } from './scan-specs.ts';

const sites = await Promise.all(SPECS.map((s) => startTestSite(s)));
process.send!({ urls: sites.map((s) => s.url), caPem: sites[0]!.pki.caPem });
process.on('message', async (message) => {
  if (message === 'cpu') process.send!({ cpu: process.cpuUsage(), rss: process.memoryUsage().rss });
  if (message === 'stop') {
    await Promise.all(sites.map((s) => s.close()));
    await disposeTestPki();
    process.exit(0);
  }
});
