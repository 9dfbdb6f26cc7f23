import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/kysely.ts';
import { migrateUp } from '../../../src/db/migrate.ts';
import { auditAnchor } from '../../../src/jobs/audit-anchor.ts';
import { runCli } from '../../helpers/cli.ts';
import { createTestDatabase, engines, type TestDatabase } from '../../helpers/engines.ts';
import { testConfig } from '../../http/app-helpers.ts';
import { appendMany, tamper } from './helpers.ts';

const secrets = { APP_SECRET: 'a'.repeat(64), BACKUP_KEY: 'b'.repeat(64) };

describe.each(engines)('vioscan audit verify and the anchor job on %s', (engine) => {
  let db: TestDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    if (engine === 'postgres') {
      db = await createTestDatabase(engine);
      env = { ...db.env, ...secrets };
    } else {
      // The CLI opens DATA_DIR/pgdata itself, so the embedded database must live on disk.
      const dataDir = mkdtempSync(path.join(tmpdir(), 'vioscan-audit-'));
      const opened = await openDatabase({ pgliteDir: path.join(dataDir, 'pgdata') });
      await migrateUp(opened);
      db = { ...opened, env: {} };
      env = { DATA_DIR: dataDir, ...secrets };
    }
    await appendMany(db, 4);
  });
  afterAll(async () => db.close());

  it('records an anchor and posts it to ALERT_WEBHOOK_URL', async () => {
    const received: unknown[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    try {
      const result = await auditAnchor.handle(
        { db, config: testConfig({ ALERT_WEBHOOK_URL: url }), logger: pino({ level: 'silent' }) },
        {},
      );
      expect(result).toMatchObject({ count: 4, webhook: true });
      expect(received).toEqual([
        expect.objectContaining({
          type: 'audit.anchor',
          count: 4,
          hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        }),
      ]);
      const anchors = await db.kysely.selectFrom('audit_anchors').selectAll().execute();
      expect(anchors.map((a) => Number(a.seq))).toEqual([4]);
    } finally {
      server.close();
    }
  });

  it('exits 0 on an intact chain and 1 naming the first broken link', async () => {
    // The embedded engine belongs to one process: hand it to the CLI while it runs.
    const run = async () => {
      if (engine === 'pglite') await db.close();
      const result = await runCli(['audit', 'verify'], env);
      if (engine === 'pglite') {
        const reopened = await openDatabase({ pgliteDir: path.join(env.DATA_DIR!, 'pgdata') });
        db = { ...reopened, env: {} };
      }
      return result;
    };
    const ok = await run();
    expect(ok.stdout).toMatch(/Audit chain intact: 4 entries/);
    expect(ok.code).toBe(0);

    await tamper(db, sql`update audit_log set target_id = 'forged' where seq = 2`);
    const broken = await run();
    expect(broken.stderr).toMatch(/Audit chain broken at entry 2: entry 2 was altered/);
    expect(broken.code).toBe(1);
  }, 180_000);
});
