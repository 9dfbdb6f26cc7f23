import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { openDatabase } from '../db/kysely.ts';
import { migrateUp } from '../db/migrate.ts';
import { startJobs } from '../jobs/boss.ts';

/**
 * A fresh embedded database spent most of its first start in PGlite's initdb (WASM) and in the
 * migrations. `npm run build` (scripts/build.js) does both once into this data directory; a new
 * DATA_DIR starts from a file copy of it (faster than PGlite loading a dump through its WASM file
 * system), and the migrator then applies whatever came after the build.
 * Same path from src/ and from dist/: both sit one level below the package root.
 */
export const TEMPLATE_DIR = fileURLToPath(new URL('../../dist/pglite-template', import.meta.url));
const metaFile = (templateDir: string) => `${templateDir}.json`;
const TEMPLATE_SCHEMA = 'public';

interface TemplateMeta {
  pglite: string;
  schema: string;
}

/** The installed PGlite's version: a dump is only loadable by the PGlite that wrote it. */
function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as {
      name?: string;
      version: string;
    };
    if (name === '@electric-sql/pglite') return version;
  }
  throw new Error('cannot find the version of @electric-sql/pglite');
}

/** Writes the template: an initialised cluster with every migration and the job queues in place. */
export async function buildPgliteTemplate(templateDir = TEMPLATE_DIR): Promise<void> {
  rmSync(templateDir, { recursive: true, force: true });
  const db = await openDatabase({ pgliteDir: templateDir, schema: TEMPLATE_SCHEMA });
  try {
    await migrateUp(db);
    // Every job's module, which a start that only copies the template has no use for.
    const { createQueues } = await import('../jobs/index.ts');
    const jobs = await startJobs(db, { supervise: false, logger: pino({ level: 'silent' }) });
    try {
      await createQueues(jobs);
    } finally {
      await jobs.stop();
    }
    await db.pglite!.query('checkpoint');
  } finally {
    await db.close();
  }
  const meta: TemplateMeta = { pglite: pgliteVersion(), schema: TEMPLATE_SCHEMA };
  writeFileSync(metaFile(templateDir), `${JSON.stringify(meta)}\n`);
}

/**
 * Fills a new embedded data directory from the template and says whether it did: not when the
 * directory already holds a cluster, no template was built, or it was written by another PGlite
 * (its files are only readable by the PGlite that wrote them) or for another schema.
 */
export function copyPgliteTemplate(pgdataDir: string, schema: string, templateDir = TEMPLATE_DIR): boolean {
  if (existsSync(pgdataDir) && readdirSync(pgdataDir).length > 0) return false;
  if (!existsSync(metaFile(templateDir))) return false;
  const meta = JSON.parse(readFileSync(metaFile(templateDir), 'utf8')) as TemplateMeta;
  if (meta.schema !== schema || meta.pglite !== pgliteVersion()) return false;
  mkdirSync(pgdataDir, { recursive: true, mode: 0o700 });
  cpSync(templateDir, pgdataDir, { recursive: true });
  return true;
}
