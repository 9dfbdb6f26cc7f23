import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../helpers/engines.ts';
import { retentionTable } from '../../../src/modules/privacy/inventory.ts';
import { createTestApp, testConfig, type TestApp } from '../../http/app-helpers.ts';

interface Fact {
  label: string;
  value: string;
  status: string;
}
interface Page {
  sections: { id: string; facts: Fact[] }[];
  subprocessors: { provider: string }[];
  links: { securityTxt: string | null; status: string };
}

function factOf(page: Page, section: string, label: string): Fact | undefined {
  return page.sections.find((s) => s.id === section)?.facts.find((f) => f.label === label);
}

describe.each(engines)('security page data on %s', (engine) => {
  let plain: TestApp;
  let configured: TestApp;
  let keyOnly: TestApp | undefined;
  beforeAll(async () => {
    plain = await createTestApp(engine);
    configured = await createTestApp(engine, {
      db: plain.db,
      env: {
        STRIPE_SECRET_KEY: 'sk_test_x',
        STRIPE_WEBHOOK_SECRET: 'whsec_x',
        PLAUSIBLE_DOMAIN: 'vioscan.example',
        BASE_URL: 'https://vioscan.example',
      },
    });
  });
  afterAll(async () => {
    await keyOnly?.close();
    await configured.close();
    await plain.close();
  });

  it('covers every section of the spec and states the remediation targets from the score table', async () => {
    const res = await plain.app.inject({ url: '/api/v1/security-page' });
    expect(res.statusCode).toBe(200);
    const page = res.json() as Page;
    expect(page.sections.map((s) => s.id)).toEqual([
      'data',
      'encryption',
      'backups',
      'access',
      'vulnerabilities',
      'operations',
      'payments',
      'monitoring',
      'compliance',
    ]);
    expect(factOf(page, 'vulnerabilities', 'Remediation targets')?.value).toBe(
      'Critical ≤ 1 day, High ≤ 3 days, Medium ≤ 30 days, Low ≤ 90 days.',
    );
    expect(page.links.status).toBe('/status');
  });

  it('lists every class of the data inventory with the retention the purge job enforces', async () => {
    const page = (await plain.app.inject({ url: '/api/v1/security-page' })).json() as Page;
    const rows = retentionTable(testConfig());
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(factOf(page, 'data', row.name)?.value).toContain(`Kept: ${row.retention}`);
  });

  it('says honestly what is not configured or not built on a bare instance', async () => {
    const page = (await plain.app.inject({ url: '/api/v1/security-page' })).json() as Page;
    expect(page.subprocessors).toEqual([]);
    expect(factOf(page, 'backups', 'Last successful backup')).toEqual({
      label: 'Last successful backup',
      value: 'No backup has been taken yet.',
      status: 'warning',
    });
    expect(factOf(page, 'vulnerabilities', 'Penetration testing')?.status).toBe('live');
    expect(factOf(page, 'monitoring', 'Outside-in monitoring')?.status).toBe('off');
    expect(factOf(page, 'monitoring', 'Service health')?.value).toMatch(/web tier over HTTP/);
    expect(factOf(page, 'encryption', 'In transit')?.status).toBe('warning');
    expect(factOf(page, 'payments', 'Processor')?.status).toBe('off');
  });

  it('lists Stripe and Plausible only when they are configured', async () => {
    const page = (await configured.app.inject({ url: '/api/v1/security-page' })).json() as Page;
    expect(page.subprocessors.map((s) => s.provider)).toEqual(['Stripe', 'Plausible']);
    expect(factOf(page, 'encryption', 'In transit')).toMatchObject({ status: 'live' });
    expect(factOf(page, 'encryption', 'In transit')?.value).toMatch(/reverse proxy/);
    expect(factOf(page, 'payments', 'Processor')?.status).toBe('live');
  });

  it('does not list Stripe when billing is half configured (no webhook secret: billing is off)', async () => {
    keyOnly = await createTestApp(engine, { db: plain.db, env: { STRIPE_SECRET_KEY: 'sk_test_x' } });
    const page = (await keyOnly.app.inject({ url: '/api/v1/security-page' })).json() as Page;
    expect(page.subprocessors).toEqual([]);
    expect(factOf(page, 'payments', 'Processor')?.status).toBe('off');
  });

  it('reports the last backup and the last restore drill with its measured RTO', async () => {
    const at = new Date(Date.now() - 3_600_000).toISOString();
    await plain.db.kysely
      .insertInto('backups')
      .values({
        id: 'b1',
        created_at: at,
        engine: 'pglite',
        size_bytes: 1,
        migration: null,
        manifest: '{}',
      } as never)
      .execute();
    await plain.db.kysely
      .insertInto('backup_drills')
      .values({ backup_id: 'b1', started_at: at, ok: true, rto_seconds: 42, checks: '[]' } as never)
      .execute();
    const page = (await plain.app.inject({ url: '/api/v1/security-page' })).json() as Page;
    expect(factOf(page, 'backups', 'Last successful backup')).toMatchObject({ status: 'live' });
    expect(factOf(page, 'backups', 'Last successful backup')?.value).toContain(at);
    expect(factOf(page, 'backups', 'Last restore drill')?.value).toBe(`${at}: passed, measured RTO 1 min`);
  });
});
