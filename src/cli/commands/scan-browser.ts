/**
 * `vioscan scan --browser`: its flags checked (exit 2) and Chromium found (exit 3) before a single
 * request is sent, so a missing browser is one clear message, not a failed scan per site.
 */
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { variables } from '../../config/schema.ts';
import { VISIT_KINDS, type VisitKind } from '../../scanner/browser/types.ts';
import { UsageError } from '../usage-error.ts';

export interface BrowserFlags {
  visits?: VisitKind[];
  evidence?: string;
}

/** The browser stage cannot run on this machine: exit 3 with how to fix it. */
export class ChromiumMissingError extends Error {
  override name = 'ChromiumMissingError';
}

export function browserFlags(flags: {
  browser?: boolean;
  browserVisits?: string;
  evidence?: string;
  fromArtifacts?: string;
}): BrowserFlags | undefined {
  if (!flags.browser) {
    if (flags.browserVisits !== undefined) throw new UsageError('--browser-visits needs --browser');
    if (flags.evidence !== undefined) throw new UsageError('--evidence needs --browser');
    return undefined;
  }
  if (flags.fromArtifacts)
    throw new UsageError(
      '--browser cannot be combined with --from-artifacts: saved artefacts are judged as they were recorded',
    );
  const out: BrowserFlags = {};
  if (flags.browserVisits !== undefined) {
    const names = flags.browserVisits.split(',').map((v) => v.trim().toLowerCase());
    const unknown = names.find((v) => !(VISIT_KINDS as readonly string[]).includes(v));
    if (unknown !== undefined || names.length === 0)
      throw new UsageError(
        `--browser-visits expects a comma-separated list of ${VISIT_KINDS.join(', ')} (got ${JSON.stringify(
          (unknown ?? flags.browserVisits).slice(0, 40),
        )})`,
      );
    out.visits = VISIT_KINDS.filter((k) => names.includes(k));
  }
  if (flags.evidence !== undefined) {
    if (flags.evidence.trim() === '') throw new UsageError('--evidence expects a directory');
    out.evidence = flags.evidence;
  }
  return out;
}

/** Creates the evidence directory now, so a typo is a usage error and not a lost HAR. */
export async function prepareEvidence(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`--evidence ${dir}: cannot create the directory (${error.code ?? error.message})`);
  });
}

/**
 * Checks that the Chromium to use exists and is executable. Returns CHROMIUM_PATH when it is set (the
 * browser stage then uses it); without it the stage uses Debian's chromium, whose real binary it finds.
 */
export async function checkChromium(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const spec = variables.chromiumPath;
  const raw = env[spec.env];
  const given = raw !== undefined && raw !== '';
  if (given && !spec.schema.safeParse(raw).success)
    throw new ChromiumMissingError(`${spec.env}: expected ${spec.expected}`);
  const file = given ? raw : spec.default;
  const ok = await access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
  if (!ok)
    throw new ChromiumMissingError(
      `--browser needs Chromium, and there is no executable at ${file}` +
        `${given ? ` (${spec.env})` : ''}. Install it — on Debian: sudo apt-get install chromium — ` +
        `or set ${spec.env} to a Chromium or Chrome executable (docs/privacy-scan.md).`,
    );
  return given ? raw : undefined;
}
