import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { runScanJob } from '../../../src/modules/scans/run.ts';
import { engines } from '../../helpers/engines.ts';
import type { SignedIn } from '../auth/helpers.ts';
import { HAR, replayScanner, trackingArtefacts } from './browser-helpers.ts';
import { addSite, createOrg, createServiceApp, signIn, type ServiceTestApp } from './helpers.ts';

const TARGET = 'https://example.test/';

/** Every entry of a zip, by name, read with yauzl (CRC checked as it reads). */
function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true, validateEntrySizes: true }, (error, file) => {
      if (error || !file) return reject(error ?? new Error('no zip'));
      const entries = new Map<string, Buffer>();
      file.on('error', reject);
      file.on('end', () => resolve(entries));
      file.on('entry', (entry: yauzl.Entry) => {
        file.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            file.readEntry();
          });
          stream.on('error', reject);
        });
      });
      file.readEntry();
    });
  });
}

describe.each(engines)('the evidence bundle of a browser scan on %s', (engine) => {
  let t: ServiceTestApp;
  let owner: SignedIn;
  let orgId: string;
  let siteId: string;
  const logger = pino({ level: 'silent' });

  beforeAll(async () => {
    t = await createServiceApp(engine, { BROWSER_SCANS: 'true' }, []);
    owner = await signIn(t, 'bundle@example.com');
    orgId = await createOrg(t, owner);
    siteId = (await addSite(t, owner, orgId, TARGET)).id;
  }, 120_000);
  afterAll(async () => t?.close());

  const scanWith = async (browser: boolean, files?: Record<string, string>) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${orgId}/scans`,
      headers: owner.headers,
      payload: { siteId, browser },
    });
    expect(res.statusCode).toBe(202);
    const id = res.json<{ id: string }>().id;
    const scanner = replayScanner([], trackingArtefacts(), files);
    await expect(runScanJob({ db: t.db, config: t.config, logger, scanner }, id)).resolves.toEqual({
      status: 'succeeded',
    });
    return id;
  };
  const bundle = (scanId: string, headers = owner.headers) =>
    t.app.inject({ url: `/api/v1/orgs/${orgId}/scans/${scanId}/evidence-bundle`, headers });

  it('zips the report, each visit’s files and the screenshots with a README naming them', async () => {
    const cookies = '[{"name":"_ga","value":"GA1.1.1","domain":"example.test"}]';
    const id = await scanWith(true, {
      'none.har': HAR,
      'none.cookies.json': cookies,
      'none.storage.json': '[]',
      'reject.har': HAR,
    });
    const res = await bundle(id);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="vioscan-${id}-evidence.zip"`);

    const entries = await unzip(res.rawPayload);
    expect([...entries.keys()]).toEqual([
      'README.txt',
      'report.json',
      'evidence/none.cookies.json',
      'evidence/none.har',
      'evidence/none.storage.json',
      'evidence/reject.har',
      'evidence/screenshot-none.jpg',
    ]);
    const stored = await t.db.kysely
      .selectFrom('scans')
      .select(['report', 'finished_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(entries.get('report.json')!.toString()).toBe(stored.report);
    expect(entries.get('evidence/none.har')!.toString()).toBe(HAR);
    expect(entries.get('evidence/none.cookies.json')!.toString()).toBe(cookies);
    const shot = entries.get('evidence/screenshot-none.jpg')!;
    expect(shot.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));

    const readme = entries.get('README.txt')!.toString();
    expect(readme).toContain(`Scan:     ${id}`);
    expect(readme).toContain(`Target:   ${TARGET}`);
    expect(readme).toContain(`Scanned:  ${stored.finished_at!.toISOString()}`);
    expect(readme).toMatch(/evidence\/reject\.har +HTTP archive of the visit after you rejected/);
    expect(readme).toMatch(
      /evidence\/none\.cookies\.json +the cookie jar at the end of the visit before consent/,
    );
    expect(readme).toMatch(
      /evidence\/screenshot-none\.jpg +screenshot of the page's first view in the visit before consent/,
    );
    expect(readme).toMatch(/evidence\/none\.storage\.json +localStorage per origin/);
  });

  it('never takes a path from what was stored: hostile names stay inside evidence/', async () => {
    const id = await scanWith(true);
    await t.db.kysely
      .insertInto('scan_evidence')
      .values([
        { scan_id: id, name: '../../etc/passwd', mime: 'application/octet-stream', bytes: Buffer.from('x') },
        { scan_id: id, name: '..', mime: 'application/octet-stream', bytes: Buffer.from('y') },
      ])
      .execute();
    const entries = await unzip((await bundle(id)).rawPayload);
    const names = [...entries.keys()];
    expect(names).toContain('evidence/_-..-etc-passwd');
    expect(names).toContain('evidence/_');
    // One folder deep, no `..` segment, nothing hidden: safe to unzip anywhere.
    for (const name of names) {
      expect(name).toMatch(/^(README\.txt|report\.json|evidence\/[A-Za-z0-9_-][A-Za-z0-9._-]*)$/);
      expect(name.split('/')).not.toContain('..');
    }
  });

  it('answers 404 for a scan without browser evidence and for another organisation’s scan', async () => {
    const passive = await scanWith(false);
    const none = await bundle(passive);
    expect(none.statusCode).toBe(404);
    expect(none.json().error).toEqual({ code: 'not_found', message: 'This scan has no browser evidence.' });
    expect(none.headers['cache-control']).toBe('no-store');

    const withEvidence = await scanWith(true);
    const outsider = await signIn(t, 'bundle-outsider@example.com');
    const otherOrg = await createOrg(t, outsider, 'Other');
    const foreign = await t.app.inject({
      url: `/api/v1/orgs/${otherOrg}/scans/${withEvidence}/evidence-bundle`,
      headers: outsider.headers,
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('not_found');
    // Not a member: the scan's own org path refuses too, and no byte of the zip is sent.
    const notMember = await bundle(withEvidence, outsider.headers);
    expect(notMember.statusCode).toBe(404);
    expect(notMember.headers['content-type']).toMatch(/^application\/json/);
  });
});
