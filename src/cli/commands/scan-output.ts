/**
 * What `vioscan scan` prints: progress on stderr (a live line on a TTY, plain lines
 * otherwise), the combined report in the chosen format, and the exit code.
 */
import type { StageEvent } from '../../scanner/index.ts';
import { VISIT_LABEL } from '../../scanner/privacy/facts.ts';
import { render, type ReportFormat } from '../../scanner/report/index.ts';
import { stripControl } from '../../scanner/report/escape.ts';
import type { TextOptions } from '../../scanner/report/text.ts';
import type { Report, Severity } from '../../scanner/types.ts';
import type { FailOn } from '../fail-on.ts';

const RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

export const EXIT = { ok: 0, findings: 1, usage: 2, failed: 3 } as const;

/**
 * 3 when any scan could not be done (its results are incomplete; a browser stage that could not run
 * counts), else 1 for findings at or above --fail-on.
 */
export function exitCodeFor(reports: Report[], failOn?: FailOn): number {
  if (reports.some((r) => r.error || r.privacy?.error)) return EXIT.failed;
  if (!failOn) return EXIT.ok;
  const hit = reports.some((r) => r.findings.some((f) => !f.accepted && RANK[f.severity] <= RANK[failOn]));
  return hit ? EXIT.findings : EXIT.ok;
}

/** One document for many reports: JSON array, SARIF with one run per report, text/Markdown concatenated. */
/**
 * Colour and width for the text report: colour only on a terminal and never with NO_COLOR set to
 * anything (no-color.org); lines wrap at the terminal's width, or at COLUMNS when output is piped.
 */
export function terminalOptions(
  stdout: { isTTY?: boolean; columns?: number },
  env: NodeJS.ProcessEnv,
  toFile: boolean,
): TextOptions {
  const tty = Boolean(stdout.isTTY) && !toFile;
  const columns = tty ? stdout.columns : Number(env.COLUMNS) || undefined;
  return {
    color: tty && !env.NO_COLOR,
    ...(columns !== undefined && !toFile && columns >= 40 && { width: columns }),
  };
}

export function renderAll(reports: Report[], format: ReportFormat, opts: TextOptions = {}): string {
  if (reports.length === 1) return render(reports[0]!, format, opts);
  switch (format) {
    case 'json':
      return `${JSON.stringify(
        reports.map((r) => JSON.parse(render(r, 'json')) as unknown),
        null,
        2,
      )}\n`;
    case 'sarif': {
      const logs = reports.map((r) => JSON.parse(render(r, 'sarif')) as { runs: unknown[] });
      return `${JSON.stringify({ ...logs[0], runs: logs.flatMap((l) => l.runs) }, null, 2)}\n`;
    }
    case 'md':
      return reports.map((r) => render(r, 'md')).join('\n\n---\n\n');
    default:
      return reports.map((r) => render(r, format, opts)).join('\n');
  }
}

function summary(report: Report): string {
  if (report.error) return report.error.message;
  const open = report.findings.filter((f) => !f.accepted).length;
  const accepted = report.findings.length - open;
  const extra = accepted ? `, ${accepted} accepted` : '';
  return `scanned ${report.target}: grade ${report.grade}, ${open} finding${open === 1 ? '' : 's'}${extra}`;
}

/** Progress on stderr; silent when `quiet`. Never prints anything from --header. */
export class Progress {
  private done = 0;
  private readonly live: boolean;

  constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly quiet = false,
  ) {
    this.live = Boolean(stream.isTTY) && !quiet;
  }

  start(target: string): void {
    if (this.live) this.draw(`scanning ${target}`);
  }

  finish(report: Report, ms: number): void {
    this.done += 1;
    if (this.quiet) return;
    const line = `${summary(report)} (${(ms / 1000).toFixed(1)} s)`;
    if (this.live) {
      this.stream.write(`\r\x1b[K${line}\n`);
      if (this.done < this.total) this.draw('');
    } else {
      this.stream.write(`vioscan: ${line}\n`);
    }
  }

  /** The browser stage's start and end, as lines of their own (a live bar is redrawn below them). */
  stage(event: StageEvent): void {
    if (this.quiet) return;
    const target = stripControl(event.target);
    const line =
      event.phase === 'start'
        ? `browser: visiting ${target} (${event.visits.map((k) => VISIT_LABEL[k]).join(', ')})`
        : event.error
          ? `browser: ${target} could not be visited: ${stripControl(event.error.message)} (${stripControl(event.error.code)})`
          : `browser: ${target} visited in ${(event.ms / 1000).toFixed(1)} s`;
    if (this.live) {
      this.stream.write(`\r\x1b[K${line}\n`);
      this.draw('');
    } else {
      this.stream.write(`vioscan: ${line}\n`);
    }
  }

  private draw(label: string): void {
    const width = 24;
    const filled = Math.round((this.done / this.total) * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const text = `${bar} ${this.done}/${this.total} ${label}`.slice(0, (this.stream.columns || 80) - 1);
    this.stream.write(`\r\x1b[K${text}`);
  }
}
