/**
 * `vioscan scan <url...>`: scan sites (no account, no database) and print a report.
 * Exit codes: 0 fine, 1 findings at or above --fail-on, 2 usage error, 3 a scan could not be done.
 * User docs: docs/cli-scan.md. The work happens in scan-run.ts, imported when the command runs.
 */
import { Option, type Command } from 'commander';
import type { ReportFormat } from '../../scanner/report/index.ts';
import { FAIL_ON } from '../fail-on.ts';
import { UsageError } from '../usage-error.ts';
import type { ScanFlags } from './scan-run.ts';
import { COMMAND_SUMMARIES } from '../summaries.ts';

// Spelled out so registering the command does not load the renderers; `satisfies` keeps it complete.
const FORMATS = Object.keys({ text: 1, json: 1, md: 1, html: 1, sarif: 1 } satisfies Record<ReportFormat, 1>);
const DEFAULT_SUPPRESSIONS = '.vioscan.yml';
const collect = (value: string, previous: string[]) => [...previous, value];

export function registerScan(program: Command): void {
  program
    .command('scan')
    .description(COMMAND_SUMMARIES.scan)
    .argument('[url...]', 'URLs to scan (any path and port; https:// is assumed when no scheme is given)')
    .addOption(new Option('-f, --format <format>', 'report format').choices(FORMATS).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(
        FAIL_ON,
      ),
    )
    .option(
      '--active',
      'also run the active checks: exposed files (/.git/HEAD, /.env, backups), directory listings, TRACE — only for sites you own',
    )
    .option(
      '--browser',
      'also visit the page in Chromium three times (no interaction, after "reject all", with Global Privacy Control): privacy and accessibility checks',
    )
    .option(
      '--browser-visits <list>',
      'with --browser: which visits, comma-separated from none,reject,gpc (e.g. none for the one-visit scan)',
    )
    .option(
      '--evidence <dir>',
      'with --browser: write a HAR, the cookies, the storage and a screenshot of each visit here',
    )
    .option('--timeout <seconds>', 'per-request time limit (with --browser also per visit)', '30')
    .option(
      '--pages <n>',
      'same-origin pages to crawl besides the URL (links, sitemap.xml; robots.txt honoured); 0 for none',
      '10',
    )
    .option(
      '--dns-server <host[:port]>',
      'recursive resolver for the domain checks (default: the system resolver)',
    )
    .option('--concurrency <n>', 'how many URLs to scan at once', '4')
    .option('--allow-private', 'allow loopback and private addresses (also ALLOW_PRIVATE_TARGETS=true)')
    .option(
      '-H, --header <header>',
      'extra request header "Name: value" (repeatable; https only; never shown in reports)',
      collect,
      [],
    )
    .option('--force-header-over-http', 'send --header values over plain http too')
    .option('--ca <file>', 'extra trusted CA certificate, PEM (repeatable)', collect, [])
    .option('--save-artifacts <dir>', 'save the raw artefacts of each scan as JSON in this directory')
    .option('--from-artifacts <dir>', 'do not fetch: judge artefacts saved earlier with --save-artifacts')
    .option(
      '--suppressions <file>',
      `accepted findings, YAML or JSON (default: ${DEFAULT_SUPPRESSIONS} if present)`,
    )
    .option('-q, --quiet', 'no progress output on stderr')
    .option(
      '--remote <server-url>',
      'run the scan on a VIOscan server (API token in VIOSCAN_TOKEN or --token)',
    )
    .option('--token <token>', 'API token for --remote (prefer the VIOSCAN_TOKEN environment variable)')
    .option(
      '--org <id>',
      'with --remote: expected organisation id (default: the token’s own; or VIOSCAN_ORG)',
    )
    .option('--wait <seconds>', 'with --remote: how long to wait for the result', '600')
    .action(async (urls: string[], flags: ScanFlags & { remote?: string }) => {
      if (flags.remote) {
        // The service runs browser scans on its own terms (its workers, its limits); not from here yet.
        if (flags.browser || flags.browserVisits !== undefined || flags.evidence !== undefined)
          throw new UsageError(
            '--browser runs the browser on this machine: it cannot be combined with --remote',
          );
        const { runRemoteScan } = await import('../remote-scan.ts');
        process.exitCode = await runRemoteScan(
          urls,
          { ...flags, remote: flags.remote },
          { env: process.env, stdout: process.stdout, stderr: process.stderr },
        );
        return;
      }
      const { runScan } = await import('./scan-run.ts');
      await runScan(urls, flags);
    });
}
