/**
 * One Chromium per process, reused by every scan (a fresh context per visit, visit.ts), launched so
 * that nothing leaves it except through a guarded proxy:
 *
 * - the browser-wide proxy refuses everything (Chromium's updater and sign-in calls); each visit's
 *   context names its own guarded proxy (Target.createBrowserContext{proxyServer}), and Playwright
 *   subtracts the implicit loopback bypass (`<-loopback>`), without which a page reaches 127.0.0.1
 *   directly;
 * - `--host-resolver-rules` maps every name to NOTFOUND except the proxy: the browser never
 *   resolves a name itself (no DNS leak, no prefetch that would bypass the guard);
 * - QUIC off (UDP would not go through an HTTP proxy), WebRTC limited to proxied traffic
 *   (`--webrtc-ip-handling-policy`: the `--force-` variant does nothing in Chromium 156);
 * - a seeded profile allows third-party cookies (`cookie_controls_mode: 0`), as stock Chrome does by
 *   default: headless Chromium 156 otherwise blocks them, and the scan would miss what visitors get.
 *
 * Extra CAs (--ca) are trusted by their key (`--ignore-certificate-errors-spki-list`), so a browser is
 * kept per distinct CA set.
 *
 * Nothing outlives the process. At exit each browser's process group is killed and waited for, then
 * its profile folder removed (process-group.ts). Signals belong to the process's owner, not to
 * Playwright (whose SIGTERM handler closes the browser but lets the process run on): the CLI exits at once
 * (`exitOnSignals`), the server drains its jobs first. After a SIGKILL no handler runs, but Chromium
 * exits by itself when its DevTools pipe to the dead process closes, and the guarded proxies lived in
 * the process; only the profile folder stays, and the next launch removes it (`removeStaleProfiles`).
 */
import { X509Certificate, createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { browserProcessOn, killGroupAndWait } from './process-group.ts';
import { startGuardedProxy, type GuardedProxy } from './proxy.ts';

/** Debian's /usr/bin/chromium is a shell wrapper that loads every extension it finds; this is the binary. */
export const DEBIAN_CHROMIUM_BINARY = '/usr/lib/chromium/chromium';
const DEBIAN_WRAPPER = '/usr/bin/chromium';

export function chromiumExecutable(given?: string): string {
  if (given && given !== DEBIAN_WRAPPER) return given;
  return existsSync(DEBIAN_CHROMIUM_BINARY) ? DEBIAN_CHROMIUM_BINARY : (given ?? DEBIAN_CHROMIUM_BINARY);
}

/** Base64 SHA-256 of a certificate's SubjectPublicKeyInfo, as --ignore-certificate-errors-spki-list wants. */
export function spkiHash(pem: string): string {
  const spki = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

/** Every certificate in a PEM bundle. */
function certificates(pems: readonly string[]): string[] {
  return pems.flatMap(
    (pem) => pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [],
  );
}

export interface PooledBrowser {
  browser: Browser;
  /** `Chromium 156.0.8078.129` */
  product: string;
  userAgent: string;
}

interface Entry {
  ready: Promise<PooledBrowser>;
  persistent?: BrowserContext;
  denyProxy?: GuardedProxy;
  profile: string;
  /** Chromium's browser process, the leader of its process group (Linux). */
  pid?: number;
}

const pool = new Map<string, Entry>();
let exitHookInstalled = false;

/** `vioscan-chromium-<pid>-XXXXXX` in the temp folder: the pid says whose it is (removeStaleProfiles). */
const PROFILE_PREFIX = 'vioscan-chromium-';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the profile folders of VIOscan processes that are gone (killed with SIGKILL, so no exit
 * handler ran). A folder whose process still runs, or whose name carries no pid, is left alone.
 */
export function removeStaleProfiles(dir = os.tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const pid = Number(/^vioscan-chromium-(\d+)-/.exec(name)?.[1]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || isRunning(pid)) continue;
    rmSync(path.join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * Playwright's own `--disable-features` list (chromiumSwitches in playwright-core), restated because
 * Chromium keeps only the last `--disable-features` it is given: adding ours alone would switch these
 * back on (third-party storage partitioning, HTTPS upgrades of http targets…). A test compares this
 * list with the installed playwright-core's.
 */
export const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
] as const;

/**
 * Renderer processes no visit uses, which the full browser starts for every browser context:
 *
 * - a spare renderer kept for the next navigation, but a spare belongs to one browser context and every
 *   visit opens a fresh one: each spare was started and thrown away (12–13 renderer processes per
 *   three-visit scan instead of 6, each 10–30 MB while alive);
 * - the address bar's drop-down, a WebUI page (chrome://omnibox-popup.top-chrome/, and its AI-mode
 *   variant) loaded in its own renderer for each new window, which is each visit's context here: about
 *   1 CPU-second per visit on the machine of docs/privacy-scan.md#speed, two thirds of the renderers'
 *   CPU. It is browser UI in a process of its own that no page can reach; the headless shell has none.
 */
const DISABLED_FEATURES = [
  ...PLAYWRIGHT_DISABLED_FEATURES,
  'SpareRendererForSitePerProcess',
  'WebUIOmniboxPopup',
  'WebUIOmniboxAimPopup',
];

/**
 * Whether an executable is Chromium's headless shell (Debian's `chromium-headless-shell`,
 * Playwright's `chrome-headless-shell`): the old headless mode, lighter than the full browser, that
 * shows a site more of what it is (docs/browser-detection.md#what-a-site-can-tell).
 */
export function isHeadlessShell(executablePath: string): boolean {
  return /headless[-_]shell$/.test(path.basename(executablePath));
}

/**
 * The headless shell sends no Accept-Language and offers one language (`en-US`); the full browser
 * sends `en-US,en;q=0.9` and offers `["en-US", "en"]`. This makes the shell offer the same two, so a
 * site negotiates its language (and its consent banner's) as it does for the full browser.
 */
const SHELL_ARGS = ['--accept-lang=en-US,en'];

function launchArgs(executablePath: string, spki: string[]): string[] {
  return [
    ...(isHeadlessShell(executablePath) ? SHELL_ARGS : []),
    `--disable-features=${DISABLED_FEATURES.join(',')}`,
    '--disable-quic',
    '--webrtc-ip-handling-policy=disable_non_proxied_udp',
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
    '--dns-prefetch-disable',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-domain-reliability',
    '--disable-sync',
    '--mute-audio',
    ...(spki.length > 0 ? [`--ignore-certificate-errors-spki-list=${spki.join(',')}`] : []),
  ];
}

/**
 * Whether Chromium runs its sandbox (seccomp-bpf and namespaces around every renderer of a hostile
 * page): always, unless this process is root, which Chromium does not allow (docs/privacy-scan.md).
 */
export function sandboxed(): boolean {
  return process.getuid?.() !== 0;
}

async function launch(executablePath: string, spki: string[], entry: Entry): Promise<PooledBrowser> {
  mkdirSync(path.join(entry.profile, 'Default'), { recursive: true });
  writeFileSync(
    path.join(entry.profile, 'Default', 'Preferences'),
    JSON.stringify({ profile: { cookie_controls_mode: 0 }, net: { network_prediction_options: 2 } }),
  );
  entry.denyProxy = await startGuardedProxy({
    refuseAll: 'target not allowed: browser traffic outside a page visit',
  });
  const persistent = await chromium.launchPersistentContext(entry.profile, {
    executablePath,
    headless: true,
    args: launchArgs(executablePath, spki),
    proxy: { server: entry.denyProxy.url },
    // Playwright adds --no-sandbox unless told otherwise; Chromium refuses its sandbox only to root.
    chromiumSandbox: sandboxed(),
    acceptDownloads: false,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  entry.persistent = persistent;
  entry.pid = browserProcessOn(entry.profile);
  const browser = persistent.browser();
  if (!browser) throw new Error('Chromium started without a browser handle');
  const page = persistent.pages()[0] ?? (await persistent.newPage());
  const userAgent = (await page.evaluate('navigator.userAgent')) as string;
  await page.close();
  return { browser, product: `Chromium ${browser.version()}`, userAgent };
}

/**
 * At exit: end each browser first (Playwright's exit handler may run after this one), since a browser
 * that is still dying writes into its profile again after the folder is removed.
 */
function removeProfiles(): void {
  for (const entry of pool.values()) {
    if (entry.pid) killGroupAndWait(entry.pid, entry.profile);
    rmSync(entry.profile, { recursive: true, force: true, maxRetries: 3 });
  }
}

/**
 * The process's Chromium for these settings, launched on first use. A browser that crashed or was
 * closed is replaced on the next call. Throws when Chromium cannot start (the caller turns it into
 * the stage's `browser_unavailable`).
 */
export async function pooledBrowser(options: {
  chromiumPath?: string;
  ca?: string[];
}): Promise<PooledBrowser> {
  const executablePath = chromiumExecutable(options.chromiumPath);
  const spki = [...new Set(certificates(options.ca ?? []).map(spkiHash))].sort();
  const key = JSON.stringify([executablePath, spki]);
  const known = pool.get(key);
  if (known) {
    const ready = await known.ready.catch(() => undefined);
    if (ready?.browser.isConnected()) return ready;
    await dropEntry(key, known);
  }
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', removeProfiles);
    removeStaleProfiles();
  }
  const entry: Entry = {
    profile: mkdtempSync(path.join(os.tmpdir(), `${PROFILE_PREFIX}${process.pid}-`)),
    ready: Promise.resolve() as unknown as Promise<PooledBrowser>,
  };
  entry.ready = launch(executablePath, spki, entry);
  pool.set(key, entry);
  try {
    return await entry.ready;
  } catch (error) {
    await dropEntry(key, entry);
    throw error;
  }
}

async function dropEntry(key: string, entry: Entry): Promise<void> {
  if (pool.get(key) === entry) pool.delete(key);
  await entry.persistent?.close().catch(() => undefined);
  await entry.denyProxy?.close();
  rmSync(entry.profile, { recursive: true, force: true });
}

/** Closes every pooled browser (CLI end, worker shutdown, tests). */
export async function closeBrowserPool(): Promise<void> {
  await Promise.all([...pool.entries()].map(([key, entry]) => dropEntry(key, entry)));
}

const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * For a process that should stop when signalled (the CLI): on SIGINT, SIGTERM or SIGHUP exit at once
 * with 128 + the signal's number, as a shell expects, and write nothing more (a half-run scan would
 * read as a clean one). The exit handlers do the cleaning: Playwright kills its browsers' process
 * groups, the profile folders are removed; the proxies end with the process. Returns a function that
 * removes the handlers.
 */
export function exitOnSignals(): () => void {
  const handler = (signal: (typeof EXIT_SIGNALS)[number]) => process.exit(128 + os.constants.signals[signal]);
  for (const signal of EXIT_SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of EXIT_SIGNALS) process.off(signal, handler);
  };
}
