/**
 * The body of `vioscan scan` (loaded only when the command runs, so other commands do not pay
 * for the scanner's imports): validate flags, scan or replay, render, set the exit code.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { variables } from '../../config/schema.ts';
import type { Suppression } from '../../scanner/analyze.ts';
import type { SavedScan } from '../../scanner/artefact-store.ts';
import { classifierOptionsFor } from '../../scanner/browser/classifier-options.ts';
import { normaliseUrl } from '../../scanner/gather/address-policy.ts';
import { parseServer } from '../../scanner/gather/dns-client.ts';
import { DEFAULT_PAGES, MAX_PAGES } from '../../scanner/gather/pages.ts';
import { replay, scan, type ScanOptions, type ScanResult } from '../../scanner/index.ts';
import type { ReportFormat } from '../../scanner/report/index.ts';
import { UsageError } from '../usage-error.ts';
import { browserFlags, checkChromium, prepareEvidence } from './scan-browser.ts';
import { mapLimit } from '../../scanner/map-limit.ts';
import { exitCodeFor, Progress, renderAll, terminalOptions } from './scan-output.ts';
import type { FailOn } from '../fail-on.ts';

export interface ScanFlags {
  format: ReportFormat;
  output?: string;
  failOn?: FailOn;
  active?: boolean;
  timeout: string;
  concurrency: string;
  pages: string;
  dnsServer?: string;
  allowPrivate?: boolean;
  header: string[];
  forceHeaderOverHttp?: boolean;
  ca: string[];
  saveArtifacts?: string;
  fromArtifacts?: string;
  suppressions?: string;
  quiet?: boolean;
  browser?: boolean;
  browserVisits?: string;
  evidence?: string;
}

export const DEFAULT_SUPPRESSIONS = '.vioscan.yml';
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Headers the HTTP client owns; letting a user set them would desynchronise the request.
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'upgrade',
  'te',
]);

export function parseHeader(raw: string): [string, string] {
  const i = raw.indexOf(':');
  const name = i > 0 ? raw.slice(0, i).trim() : '';
  const value = i > 0 ? raw.slice(i + 1).trim() : '';
  if (!TOKEN.test(name)) throw new UsageError('--header expects "Name: value"');
  if (RESERVED_HEADERS.has(name.toLowerCase()))
    throw new UsageError(`--header cannot set ${name.toLowerCase()}`);
  // eslint-disable-next-line no-control-regex
  if (/[\r\n\u0000]/.test(value)) throw new UsageError(`--header ${name}: value contains a line break`);
  return [name.toLowerCase(), value];
}

export function targetUrl(raw: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  const verdict = normaliseUrl(withScheme);
  if (!verdict.ok) throw new UsageError(`${raw.slice(0, 200)}: ${verdict.message}`);
  return verdict.url.href;
}

function positive(raw: string, flag: string, max: number): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > max)
    throw new UsageError(`${flag} expects a number between 1 and ${max}`);
  return n;
}

function pageCount(raw: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n > MAX_PAGES)
    throw new UsageError(`--pages expects a whole number between 0 and ${MAX_PAGES}`);
  return n;
}

function dnsServer(raw: string): string {
  const { host, port } = parseServer(raw.trim());
  if (net.isIP(host) === 0 || !Number.isInteger(port) || port < 1 || port > 65_535)
    throw new UsageError(
      '--dns-server expects an IP address with an optional port, e.g. 9.9.9.9 or 127.0.0.1:5353',
    );
  return raw.trim();
}

async function readCa(files: string[]): Promise<string[]> {
  return Promise.all(
    files.map(async (file) => {
      const pem = await readFile(file, 'utf8').catch(() => {
        throw new UsageError(`--ca ${file}: cannot read the file`);
      });
      if (!pem.includes('-----BEGIN CERTIFICATE-----'))
        throw new UsageError(`--ca ${file}: no PEM certificate in it`);
      return pem;
    }),
  );
}

async function loadSuppressions(flag: string | undefined): Promise<Suppression[]> {
  const file = flag ?? (existsSync(DEFAULT_SUPPRESSIONS) ? DEFAULT_SUPPRESSIONS : undefined);
  if (!file) return [];
  const text = await readFile(file, 'utf8').catch(() => {
    throw new UsageError(`--suppressions ${file}: cannot read the file`);
  });
  // Loaded only with a suppressions file: its YAML parser is not free to load.
  const { parseSuppressions } = await import('../../scanner/suppressions.ts');
  try {
    const { suppressions, warnings } = parseSuppressions(text, file);
    for (const w of warnings) process.stderr.write(`vioscan: warning: ${w}\n`);
    return suppressions;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function allowPrivateFromEnv(): boolean {
  const raw = process.env[variables.allowPrivateTargets.env];
  if (raw === undefined || raw === '') return false;
  const parsed = variables.allowPrivateTargets.schema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`${variables.allowPrivateTargets.env}: expected true or false`);
  return parsed.data === true;
}

/** RULES_DIR, default DATA_DIR/rules: data an operator refreshed with `vioscan rules update`. */
function rulesDirFromEnv(): string {
  const dataDir = process.env[variables.dataDir.env] || (variables.dataDir.default ?? './data');
  return process.env[variables.rulesDir.env] || path.join(dataDir, 'rules');
}

/**
 * The tracker lists installed in RULES_DIR, parsed engines cached beside them (classifierOptionsFor);
 * without that folder, the shipped snapshot and nothing written.
 */
function trackerRulesFromEnv() {
  const rulesDir = rulesDirFromEnv();
  return existsSync(rulesDir) ? classifierOptionsFor({ rulesDir, dataDir: '' }) : undefined;
}

export async function runScan(rawUrls: string[], flags: ScanFlags): Promise<void> {
  const urls = rawUrls.map(targetUrl);
  if (urls.length === 0 && !flags.fromArtifacts) throw new UsageError('give at least one URL to scan');
  if (flags.format === 'html' && urls.length > 1)
    throw new UsageError('--format html renders one report: scan one URL at a time');
  const headers = Object.fromEntries(flags.header.map(parseHeader));
  const plain = urls.find((u) => u.startsWith('http:'));
  if (flags.header.length > 0 && plain && !flags.forceHeaderOverHttp) {
    throw new UsageError(
      `--header values are only sent over https (${plain} is http); add --force-header-over-http to send them anyway`,
    );
  }
  const browser = browserFlags(flags);
  const totalMs = positive(flags.timeout, '--timeout', 300) * 1000;
  const concurrency = Math.floor(positive(flags.concurrency, '--concurrency', 100));
  const pages = pageCount(flags.pages ?? String(DEFAULT_PAGES));
  const dnsServers = flags.dnsServer === undefined ? undefined : [dnsServer(flags.dnsServer)];
  const suppressions = await loadSuppressions(flags.suppressions);

  let results: ScanResult[];
  if (flags.fromArtifacts) {
    const { loadArtefactDir } = await import('../../scanner/artefact-store.ts');
    const saved: SavedScan[] = await loadArtefactDir(flags.fromArtifacts).catch((error: Error) => {
      throw new UsageError(`--from-artifacts ${flags.fromArtifacts}: ${error.message}`);
    });
    const wanted = urls.length ? saved.filter((s) => urls.includes(s.artefacts.target)) : saved;
    if (wanted.length === 0)
      throw new UsageError(`--from-artifacts ${flags.fromArtifacts}: no saved scan matches`);
    if (flags.format === 'html' && wanted.length > 1)
      throw new UsageError('--format html renders one report: pass the URL to replay');
    results = wanted.map((s) => replay(s, { suppressions }));
  } else {
    const ca = await readCa(flags.ca);
    // Before any request: a --browser scan without a browser would only fail later, site by site.
    if (browser?.evidence) await prepareEvidence(browser.evidence);
    const chromiumPath = browser ? await checkChromium(process.env) : undefined;
    const rules = browser ? trackerRulesFromEnv() : undefined;
    const options: ScanOptions = {
      allowPrivate: Boolean(flags.allowPrivate) || allowPrivateFromEnv(),
      active: Boolean(flags.active),
      headers,
      headersOverHttp: Boolean(flags.forceHeaderOverHttp),
      timeouts: { totalMs, connectMs: Math.min(5000, totalMs), headersMs: Math.min(10_000, totalMs) },
      suppressions,
      pages,
      rulesDir: rulesDirFromEnv(),
      ...(dnsServers && { dnsServers }),
      ...(ca.length && { ca }),
    };
    const progress = new Progress(urls.length, process.stderr, flags.quiet);
    // One Chromium serves every URL of this run; it is closed before the report is written. A signal
    // ends the run at once, without a report (exitOnSignals).
    // Loaded only for --browser: Playwright and axe-core cost a passive scan ~0.3 s of start-up.
    const pool = browser ? await import('../../scanner/browser/pool.ts') : undefined;
    const stopOnSignals = pool?.exitOnSignals();
    // The artefact store (and its validator, zod) only when artefacts or evidence are written.
    const store =
      flags.saveArtifacts || browser?.evidence ? await import('../../scanner/artefact-store.ts') : undefined;
    try {
      results = await mapLimit(urls, concurrency, async (url) => {
        progress.start(url);
        const t0 = performance.now();
        const evidenceDir =
          browser?.evidence &&
          store &&
          path.join(browser.evidence, store.artefactFileName(url).replace(/\.artefacts\.json$/, ''));
        const result = await scan(url, {
          ...options,
          ...(browser && {
            browser: {
              ...(browser.visits && { visits: browser.visits }),
              ...(evidenceDir && { evidenceDir }),
              ...(chromiumPath && { chromiumPath }),
              ...(rules && { rules }),
            },
            onStage: (event) => progress.stage(event),
          }),
        });
        if (flags.saveArtifacts && store) {
          const { artefacts, startedAt, finishedAt } = result;
          await store.saveArtefacts(flags.saveArtifacts, { artefacts, startedAt, finishedAt });
        }
        progress.finish(result.report, performance.now() - t0);
        return result;
      });
    } finally {
      await pool?.closeBrowserPool();
      stopOnSignals?.();
    }
  }

  const reports = results.map((r) => r.report);
  const out = renderAll(
    reports,
    flags.format,
    terminalOptions(process.stdout, process.env, Boolean(flags.output)),
  );
  if (flags.output) await writeFile(flags.output, out);
  else process.stdout.write(out.endsWith('\n') ? out : `${out}\n`);
  process.exitCode = exitCodeFor(reports, flags.failOn);
}
