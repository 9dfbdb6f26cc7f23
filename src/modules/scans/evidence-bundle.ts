/**
 * A browser scan's evidence bundle (issue 13, "Downloads"): one zip with the JSON report, every
 * evidence file kept with the scan (each visit's HAR, cookie and storage dumps, screenshots) and a
 * README.txt naming the scan and saying what each file is. Streamed: the zip is written as it is
 * read, one evidence file loaded from the database at a time (yazl's lazy entries).
 *
 * Entry names are VIOscan's own (`report.json`, `README.txt`) or stored evidence names, which were
 * made safe when stored and are made safe again here: nothing the scanned site chose becomes a path.
 */
import { Readable } from 'node:stream';
import type { Database } from '../../db/kysely.ts';
import { VISIT_LABEL } from '../../scanner/privacy/facts.ts';
import type { VisitKind } from '../../scanner/browser/types.ts';
import { evidenceNames, readEvidence, safeEvidenceName } from './evidence.ts';
import type { ScanRow } from './present.ts';

const EVIDENCE_FOLDER = 'evidence/';

/** What a stored evidence file is, from its name (evidence.ts, src/scanner/browser/visit.ts). */
export function describeEvidence(name: string): string {
  const visit = (kind: string) =>
    kind in VISIT_LABEL ? `the visit ${VISIT_LABEL[kind as VisitKind]}` : `the visit "${kind}"`;
  let m: RegExpExecArray | null;
  if ((m = /^screenshot-([a-z]+)\.jpg$/.exec(name)) || (m = /^([a-z]+)\.jpe?g$/.exec(name)))
    return `screenshot of the page's first view in ${visit(m[1]!)} (JPEG)`;
  if ((m = /^([a-z]+)\.har$/.exec(name)))
    return `HTTP archive of ${visit(m[1]!)}: every request and response with its headers, no bodies (HAR 1.2, JSON)`;
  if ((m = /^([a-z]+)\.cookies\.json$/.exec(name)))
    return `the cookie jar at the end of ${visit(m[1]!)}, values included, with who set each cookie (JSON)`;
  if ((m = /^([a-z]+)\.storage\.json$/.exec(name)))
    return `localStorage per origin at the end of ${visit(m[1]!)} (JSON)`;
  return 'a file the browser stage wrote during the scan';
}

export function bundleReadme(scan: ScanRow, names: string[], now: Date): string {
  const width = Math.max('report.json'.length, ...names.map((n) => EVIDENCE_FOLDER.length + n.length));
  const line = (file: string, what: string) => `  ${file.padEnd(width)}  ${what}`;
  return [
    'VIOscan evidence bundle',
    '',
    `Scan:     ${scan.id}`,
    `Target:   ${scan.target}`,
    `Scanned:  ${(scan.finished_at ?? scan.created_at).toISOString()}`,
    `Grade:    ${scan.grade ?? 'not graded'}${scan.privacy_grade ? ` (privacy ${scan.privacy_grade})` : ''}`,
    `Bundled:  ${now.toISOString()}`,
    '',
    'Files',
    line('README.txt', 'this file'),
    line('report.json', 'the scan report as VIOscan stored it (JSON; schemas/report.schema.json)'),
    ...names.map((n) => line(`${EVIDENCE_FOLDER}${n}`, describeEvidence(n))),
    '',
    'The evidence holds what the scanned site sent, cookie values included: keep it as you would',
    "the site's own data. The visits are explained in docs/privacy-scan.md.",
    '',
  ].join('\r\n');
}

/**
 * The zip as a stream, or undefined when the scan kept no browser evidence. Entries carry the
 * scan's finish time, so the same scan gives the same entries whenever it is downloaded.
 */
export async function evidenceBundle(
  db: Database,
  scan: ScanRow,
  now = new Date(),
): Promise<Readable | undefined> {
  const stored = await evidenceNames(db, scan.id);
  if (stored.length === 0 || !scan.report) return undefined;
  // Stored names are safe already; a leading dot is refused too, so no entry can be `..` or hidden.
  const entries = new Map<string, string>();
  for (const name of stored) {
    const entry = safeEvidenceName(name).replace(/^\.+/, '_');
    if (!entries.has(entry)) entries.set(entry, name);
  }
  const mtime = scan.finished_at ?? scan.created_at;
  // yazl is loaded with the first download rather than at start-up (issue 16).
  const { ZipFile } = await import('yazl');
  const zip = new ZipFile();
  zip.addBuffer(Buffer.from(bundleReadme(scan, [...entries.keys()], now)), 'README.txt', { mtime });
  zip.addBuffer(Buffer.from(scan.report), 'report.json', { mtime });
  for (const [entry, name] of entries) {
    // JPEGs are compressed already; deflating them again costs CPU for nothing.
    const options = { mtime, compress: !/\.jpe?g$/.test(entry) };
    zip.addReadStreamLazy(`${EVIDENCE_FOLDER}${entry}`, options, (cb) => {
      readEvidence(db, scan.id, name).then(
        (file) => cb(null, Readable.from([Buffer.from(file?.bytes ?? new Uint8Array())])),
        (error: Error) => cb(error, undefined as never),
      );
    });
  }
  zip.end();
  return zip.outputStream as Readable;
}
