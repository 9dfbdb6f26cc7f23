/**
 * Smoke-test plumbing: run the real CLI (`node bin/vioscan.js`) asynchronously, so the loopback
 * test sites in this process keep serving while it runs, and a few ready-made site specs.
 */
import { spawnCli, type CliResult } from '../../helpers/cli.ts';
import type { RouteSpec, TestSiteSpec } from '../../sites/site.ts';

/** The CLI with this process's environment, no colour, and ALLOW_PRIVATE_TARGETS only when given. */
export function runCli(
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string } = {},
): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...opts.env };
  delete env.ALLOW_PRIVATE_TARGETS;
  if (opts.env?.ALLOW_PRIVATE_TARGETS) env.ALLOW_PRIVATE_TARGETS = opts.env.ALLOW_PRIVATE_TARGETS;
  return spawnCli(args, { env, cwd: opts.cwd });
}

const inAYear = () => new Date(Date.now() + 180 * 86_400_000).toISOString();

export const GOOD_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

export function securityTxt(origin: string): RouteSpec {
  return {
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: `Contact: mailto:security@example.com\nExpires: ${inAYear()}\nCanonical: ${origin}/.well-known/security.txt\n`,
  };
}

export const GOOD_PAGE = '<!doctype html><html><head><title>good</title></head><body><p>ok</p></body></html>';

/** A well-configured HTTPS site: no high or critical findings expected. */
export function goodSite(): TestSiteSpec {
  return {
    routes: {
      '/': { headers: GOOD_HEADERS, body: GOOD_PAGE },
      '/.well-known/security.txt': (_req, site) => securityTxt(new URL(site.httpsUrl!).origin),
    },
  };
}

export const SECRET = 'vioscan-smoke-secret-7f3a9c';
