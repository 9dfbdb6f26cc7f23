/**
 * A browser scan's evidence files: each visit's screenshot (from the artefact) and whatever the
 * browser stage wrote to its evidence directory (a HAR per visit, cookie and storage dumps). Kept in
 * `scan_evidence` with the scan and deleted with it (foreign key cascade; inventory.ts `scans`).
 * The bytes came from a hostile page: served with a fixed type, never sniffed, never inline HTML.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/kysely.ts';
import type { DB } from '../../db/types.ts';
import type { Artefacts } from '../../scanner/types.ts';
import { screenshotName } from './evidence-names.ts';

export interface EvidenceFile {
  name: string;
  mime: EvidenceMime;
  bytes: Uint8Array;
}

export type EvidenceMime = 'image/jpeg' | 'image/png' | 'application/json' | 'application/octet-stream';

/** One scan's evidence at most: a page that makes a huge HAR does not fill the database. */
export const MAX_EVIDENCE_BYTES = 20 * 1024 * 1024;

const MIME_BY_EXTENSION: Record<string, EvidenceMime> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.har': 'application/json',
  '.json': 'application/json',
};

/** A name safe in a URL path segment and a download file name. */
export const safeEvidenceName = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 120);

/** Files under `dir`, each with a flat name (`visit/a.har` → `visit-a.har`). */
async function filesUnder(dir: string, prefix = ''): Promise<{ full: string; name: string }[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: { full: string; name: string }[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(full, `${prefix}${e.name}-`)));
    else if (e.isFile()) out.push({ full, name: `${prefix}${e.name}` });
  }
  return out;
}

/** The screenshots first (what the report shows), then the stage's files, until the size cap. */
export async function collectEvidence(
  artefacts: Artefacts,
  dir: string | undefined,
): Promise<EvidenceFile[]> {
  const files: EvidenceFile[] = [];
  let total = 0;
  const add = (file: EvidenceFile) => {
    if (total + file.bytes.byteLength > MAX_EVIDENCE_BYTES) return;
    total += file.bytes.byteLength;
    files.push(file);
  };
  for (const visit of artefacts.browser?.visits ?? []) {
    if (!visit.screenshot) continue;
    add({
      name: screenshotName(visit.kind),
      mime: 'image/jpeg',
      bytes: Buffer.from(visit.screenshot.base64, 'base64'),
    });
  }
  if (!dir) return files;
  for (const { full, name } of await filesUnder(dir)) {
    const size = await stat(full).then(
      (st) => st.size,
      () => Infinity,
    );
    if (total + size > MAX_EVIDENCE_BYTES) continue;
    add({
      name: safeEvidenceName(name),
      mime: MIME_BY_EXTENSION[path.extname(name).toLowerCase()] ?? 'application/octet-stream',
      bytes: await readFile(full),
    });
  }
  return files;
}

export async function storeEvidence(tx: Kysely<DB>, scanId: string, files: EvidenceFile[]): Promise<void> {
  if (files.length === 0) return;
  await tx
    .insertInto('scan_evidence')
    .values(files.map((f) => ({ scan_id: scanId, name: f.name, mime: f.mime, bytes: f.bytes })))
    .onConflict((oc) => oc.columns(['scan_id', 'name']).doNothing())
    .execute();
}

export async function evidenceNames(db: Database, scanId: string): Promise<string[]> {
  const rows = await db.kysely
    .selectFrom('scan_evidence')
    .select('name')
    .where('scan_id', '=', scanId)
    .orderBy('name')
    .execute();
  return rows.map((r) => r.name);
}

export async function readEvidence(
  db: Database,
  scanId: string,
  name: string,
): Promise<{ mime: string; bytes: Uint8Array } | undefined> {
  return db.kysely
    .selectFrom('scan_evidence')
    .select(['mime', 'bytes'])
    .where('scan_id', '=', scanId)
    .where('name', '=', name)
    .executeTakeFirst();
}

/** Recorded from a hostile page: a fixed type, never sniffed, sandboxed; only images are shown inline. */
export function sendEvidence(
  reply: FastifyReply,
  file: { mime: string; bytes: Uint8Array },
  filename: string,
): FastifyReply {
  const inline = file.mime.startsWith('image/');
  return reply
    .type(file.mime)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename="${filename}"`)
    .send(Buffer.from(file.bytes));
}
