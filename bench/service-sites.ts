/**
 * The fixture corpus of bench/service.ts in its own process, so the CPU the scanned sites use is
 * measured apart from the bench's own (enqueueing, polling) and the workers'. Talks to the parent
 * over IPC: reads { sites, latencyMs, browser } as its first message, answers with the fixtures'
 * { url, host } (and the third party's origin) once listening, answers 'cpu' with its CPU time in ms,
 * and exits on 'stop'. Loopback only.
 */
import { startFixture, startThirdParty } from './fixtures.ts';

interface Start {
  sites: number;
  latencyMs: number;
  browser: boolean;
}

const start = await new Promise<Start>((resolve) => process.once('message', (m) => resolve(m as Start)));
const thirdParty = start.browser ? await startThirdParty(start.latencyMs) : undefined;
const fixtures = await Promise.all(
  Array.from({ length: start.sites }, (_, i) =>
    startFixture(i, start.latencyMs, thirdParty?.url.slice(0, -1)),
  ),
);
process.send!({ fixtures: fixtures.map(({ url, host }) => ({ url, host })) });
process.on('message', async (message) => {
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send!({ cpuMs: (user + system) / 1000 });
  }
  if (message === 'stop') {
    await Promise.all(fixtures.map((f) => f.close()));
    await thirdParty?.close();
    process.exit(0);
  }
});
