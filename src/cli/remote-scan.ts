/**
 * `vioscan scan --remote <server-url> <url>`: the scan runs on a VIOscan server (its workers,
 * its quotas, its history) instead of this machine. Authenticates with an API token
 * (VIOSCAN_TOKEN or --token; scopes sites:read, scans:write, scans:read, and sites:write to add
 * a site the first time); the organisation is the token's own (GET /api/v1/token) unless --org or
 * VIOSCAN_ORG names it. Submits, waits, then prints the report like a local scan, with the same
 * exit codes. See docs/service.md and docs/ci.md.
 */
import { writeFile } from 'node:fs/promises';
import type { Report } from '../scanner/types.ts';
import type { FailOn } from './fail-on.ts';
import { EXIT, exitCodeFor, renderAll } from './commands/scan-output.ts';
import type { ReportFormat } from '../scanner/report/index.ts';
import { UsageError } from './usage-error.ts';

export interface RemoteFlags {
  remote: string;
  token?: string;
  org?: string;
  format: ReportFormat;
  output?: string;
  failOn?: FailOn;
  quiet?: boolean;
  /** Seconds to wait for the server to finish the scan (default 600). */
  wait?: string;
  /** Ask for the active checks (the server allows them on verified sites only). */
  active?: boolean;
}

export interface RemoteIo {
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  pollMs?: number;
}

class RemoteError extends Error {}

/** What to do about a refused token, by the server's error code. */
const TOKEN_HINTS: Record<string, string> = {
  token_expired: 'create a new API token and update VIOSCAN_TOKEN',
  token_revoked: 'create a new API token and update VIOSCAN_TOKEN',
  unauthorized: 'check VIOSCAN_TOKEN: it is not a valid API token for this server',
  insufficient_scope: 'the token needs the scopes sites:read, scans:read, scans:write (and sites:write)',
};

interface ScanState {
  id: string;
  status: string;
  progress: number;
  error: { code: string; message: string } | null;
}

function client(server: string, token: string) {
  const base = new URL(server);
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(new URL(path, base), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        // Labels the scan as started from the CLI in the service's scan list.
        'x-vioscan-client': 'cli',
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (!response.ok) {
      let detail = `HTTP ${response.status}`;
      try {
        const { error } = JSON.parse(text) as { error: { code: string; message: string } };
        const hint = TOKEN_HINTS[error.code];
        detail = `${error.code}: ${error.message}${hint ? ` (${hint})` : ''}`;
      } catch {
        // not our envelope (a proxy, a wrong URL): the status says enough
      }
      throw new RemoteError(`${method} ${path} failed: ${detail}`);
    }
    return JSON.parse(text) as T;
  };
}

export async function runRemoteScan(urls: string[], flags: RemoteFlags, io: RemoteIo): Promise<number> {
  const token = flags.token ?? io.env.VIOSCAN_TOKEN;
  const givenOrg = flags.org ?? io.env.VIOSCAN_ORG;
  if (!token) throw new UsageError('--remote needs an API token: set VIOSCAN_TOKEN or pass --token');
  if (urls.length !== 1) throw new UsageError('--remote scans one URL at a time');
  if (!/^https?:\/\//i.test(flags.remote))
    throw new UsageError('--remote takes the server URL, such as https://vioscan.example.com');
  const waitMs = Number(flags.wait ?? '600') * 1000;
  if (!Number.isFinite(waitMs) || waitMs <= 0)
    throw new UsageError('--wait takes a positive number of seconds');
  const api = client(flags.remote, token);
  const say = (text: string) => !flags.quiet && io.stderr.write(`${text}\n`);
  try {
    // One request also proves the token before anything is queued: expired or revoked fails here.
    const self = await api<{ orgId: string; orgName: string; scopes: string[] }>('GET', '/api/v1/token');
    if (givenOrg && givenOrg !== self.orgId)
      throw new RemoteError(
        `the API token belongs to organisation ${self.orgId} (${self.orgName}), not ${givenOrg}`,
      );
    const orgPath = `/api/v1/orgs/${encodeURIComponent(self.orgId)}`;
    const wanted = new URL(urls[0]!.includes('://') ? urls[0]! : `https://${urls[0]!}`);
    wanted.search = '';
    wanted.hash = '';
    const { sites } = await api<{ sites: { id: string; url: string }[] }>('GET', `${orgPath}/sites`);
    let site = sites.find((s) => s.url === wanted.href);
    if (!site) {
      say(`adding ${wanted.href} to the organisation's sites`);
      site = await api<{ id: string; url: string }>('POST', `${orgPath}/sites`, { url: wanted.href });
    }
    let scan = await api<ScanState>('POST', `${orgPath}/scans`, {
      siteId: site.id,
      ...(flags.active ? { active: true } : {}),
    });
    say(`scan ${scan.id} queued on ${flags.remote}`);
    const deadline = Date.now() + waitMs;
    while (scan.status === 'queued' || scan.status === 'running') {
      if (Date.now() > deadline)
        throw new RemoteError(`the scan did not finish within ${waitMs / 1000} s (it goes on on the server)`);
      await new Promise((r) => setTimeout(r, io.pollMs ?? 1000));
      scan = await api<ScanState>('GET', `${orgPath}/scans/${scan.id}`);
      say(`  ${scan.status} ${scan.progress}%`);
    }
    if (scan.status !== 'succeeded')
      throw new RemoteError(
        `the scan ${scan.status}${scan.error ? `: ${scan.error.code}: ${scan.error.message}` : ''}`,
      );
    const report = await api<Report>('GET', `${orgPath}/scans/${scan.id}/report?format=json`);
    const out = renderAll([report], flags.format);
    if (flags.output) await writeFile(flags.output, out);
    else io.stdout.write(out.endsWith('\n') ? out : `${out}\n`);
    return exitCodeFor([report], flags.failOn);
  } catch (error) {
    if (!(error instanceof RemoteError) && !(error instanceof TypeError)) throw error;
    io.stderr.write(`vioscan: ${error.message}\n`);
    return EXIT.failed;
  }
}
