import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScanJob } from '../../../src/modules/scans/run.ts';
import { thirdPartyHistory } from '../../../src/modules/sites/third-parties.ts';
import type { Artefacts, PrivacyThirdParty } from '../../../src/scanner/types.ts';
import { engines } from '../../helpers/engines.ts';
import type { SignedIn } from '../auth/helpers.ts';
import { changedTrackingArtefacts, replayScanner, trackingArtefacts } from '../scans/browser-helpers.ts';
import { addSite, createOrg, createServiceApp, signIn, type ServiceTestApp } from '../scans/helpers.ts';

const TARGET = 'https://example.test/';
const party = (company: string, tracker = false): PrivacyThirdParty => ({
  company,
  purpose: 'analytics',
  domains: [`${company.toLowerCase()}.example`],
  tracker,
  requests: { none: 1 },
});

describe('third parties over time (pure)', () => {
  it('compares each scan with the one before; a cut history keeps its oldest scan as the baseline only', () => {
    const at = (day: number) => new Date(Date.UTC(2026, 0, day));
    const scans = [
      { scanId: 'a', at: at(1), parties: [party('A', true), party('B')] },
      { scanId: 'b', at: at(2), parties: [party('B'), party('C', true)] },
      { scanId: 'c', at: at(3), parties: [party('B'), party('C', true)] },
    ];
    const full = thirdPartyHistory(scans, false);
    expect(full.map((e) => [e.scanId, e.first, e.thirdParties, e.trackers])).toEqual([
      ['c', false, 2, 1],
      ['b', false, 2, 1],
      ['a', true, 2, 1],
    ]);
    expect(full[0]).toMatchObject({ appeared: [], disappeared: [] });
    expect(full[1]!.appeared.map((t) => t.company)).toEqual(['C']);
    expect(full[1]!.disappeared.map((t) => t.company)).toEqual(['A']);
    expect(full[2]!.appeared.map((t) => t.company)).toEqual(['A', 'B']);

    const cut = thirdPartyHistory(scans, true);
    expect(cut.map((e) => e.scanId)).toEqual(['c', 'b']);
    expect(cut[1]).toMatchObject({
      first: false,
      appeared: [{ company: 'C' }],
      disappeared: [{ company: 'A' }],
    });
  });
});

describe.each(engines)('privacy grade history and third parties over time on %s', (engine) => {
  let t: ServiceTestApp;
  let owner: SignedIn;
  let orgId: string;
  let siteId: string;
  const logger = pino({ level: 'silent' });

  beforeAll(async () => {
    t = await createServiceApp(engine, { BROWSER_SCANS: 'true' }, []);
    owner = await signIn(t, 'history@example.com');
    orgId = await createOrg(t, owner);
    siteId = (await addSite(t, owner, orgId, TARGET)).id;
  }, 120_000);
  afterAll(async () => t?.close());

  const scanWith = async (browser: boolean, artefacts: Artefacts = trackingArtefacts()) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${orgId}/scans`,
      headers: owner.headers,
      payload: { siteId, browser },
    });
    expect(res.statusCode).toBe(202);
    const id = res.json<{ id: string }>().id;
    const scanner = replayScanner([], artefacts);
    await expect(runScanJob({ db: t.db, config: t.config, logger, scanner }, id)).resolves.toEqual({
      status: 'succeeded',
    });
    return id;
  };
  const get = (path: string, headers = owner.headers) =>
    t.app.inject({ url: `/api/v1/orgs/${orgId}/sites/${siteId}${path}`, headers });

  it('has no privacy history before a browser scan, then one point per browser scan', async () => {
    await expect(get('/third-parties').then((r) => r.json())).resolves.toEqual({ scans: [] });
    await scanWith(false);
    const first = await scanWith(true);
    const second = await scanWith(true, changedTrackingArtefacts());

    const site = await get('');
    expect(site.statusCode).toBe(200);
    const trend = site.json().trend as {
      grade: string;
      privacyGrade: string | null;
      privacyScore: number | null;
    }[];
    expect(trend).toHaveLength(3);
    // The passive scan has no privacy grade; each browser scan has the report's privacy category.
    expect(trend[0]).toMatchObject({ privacyGrade: null, privacyScore: null });
    for (const [i, id] of [first, second].entries()) {
      const report = JSON.parse(
        (
          await t.db.kysely
            .selectFrom('scans')
            .select('report')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).report!,
      ) as { categories: { category: string; grade: string; score: number }[] };
      const privacy = report.categories.find((c) => c.category === 'privacy')!;
      expect(trend[i + 1]).toMatchObject({
        privacyGrade: privacy.grade,
        privacyScore: Math.round(privacy.score),
      });
    }
    expect(trend[1]!.privacyGrade).toMatch(/^[A-F][+-]?$/);
  });

  it('lists which third parties appeared and which went away, newest first', async () => {
    const res = await get('/third-parties');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const scans = res.json().scans as {
      scanId: string;
      first: boolean;
      thirdParties: number;
      trackers: number;
      appeared: { company: string; purpose: string; tracker: boolean; domains: string[] }[];
      disappeared: { company: string }[];
    }[];
    // The passive scan saw no third party and is not listed.
    expect(scans).toHaveLength(2);
    const [latest, oldest] = scans;
    expect(oldest!.first).toBe(true);
    expect(oldest!.disappeared).toEqual([]);
    expect(oldest!.appeared.map((p) => p.company)).toContain('Hotjar');
    expect(oldest!.appeared).toHaveLength(oldest!.thirdParties);
    expect(latest!.first).toBe(false);
    expect(latest!.appeared).toEqual([
      { company: 'newparty.example', purpose: 'unknown', tracker: false, domains: ['newparty.example'] },
    ]);
    expect(latest!.disappeared.map((p) => p.company)).toEqual(['Hotjar']);
    expect(latest!.thirdParties).toBe(oldest!.thirdParties);
    expect(latest!.trackers).toBe(oldest!.trackers - 1);
  });

  it('leaves out a browser scan whose browser stage failed', async () => {
    const failed = trackingArtefacts();
    failed.browser = { ...failed.browser!, error: { code: 'launch_failed', message: 'no Chromium' } };
    const id = await scanWith(true, failed);
    const scans = (await get('/third-parties')).json().scans as { scanId: string }[];
    expect(scans.map((s) => s.scanId)).not.toContain(id);
    expect(scans).toHaveLength(2);
  });

  it('refuses another organisation’s site (404) and a bad site id', async () => {
    const outsider = await signIn(t, 'history-outsider@example.com');
    const other = await createOrg(t, outsider, 'Other');
    const foreign = await t.app.inject({
      url: `/api/v1/orgs/${other}/sites/${siteId}/third-parties`,
      headers: outsider.headers,
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('not_found');
    const notMember = await get('/third-parties', outsider.headers);
    expect(notMember.statusCode).toBe(404);
    const bad = await t.app.inject({
      url: `/api/v1/orgs/${orgId}/sites/not-a-site/third-parties`,
      headers: owner.headers,
    });
    expect(bad.statusCode).toBe(404);
  });
});
