import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN_DIR, GOLDEN_META } from '../../../scripts/update-golden.ts';
import { describeEvent } from '../../../src/modules/alerts/deliver.ts';
import { raiseScanAlerts } from '../../../src/modules/alerts/events.ts';
import { privacyChanges } from '../../../src/modules/alerts/privacy-changes.ts';
import { storeResult } from '../../../src/modules/scans/run.ts';
import { analyze } from '../../../src/scanner/analyze.ts';
import type { Artefacts, Report } from '../../../src/scanner/types.ts';
import { engines } from '../../helpers/engines.ts';
import { createServiceApp, type ServiceTestApp } from '../scans/helpers.ts';
import { insertRunningScan, twoOrgsAndSite } from '../service-fixtures.ts';

const tracking = () =>
  JSON.parse(readFileSync(`${GOLDEN_DIR}artefacts/tracking-site.json`, 'utf8')) as Artefacts;

/** The golden tracking site as it was a week earlier: no Hotjar, no DoubleClick, and "reject all" honoured. */
function lastWeek(): Artefacts {
  const a = tracking();
  for (const v of a.browser!.visits) {
    const gone =
      v.kind === 'none'
        ? ['hotjar.com', 'doubleclick.net']
        : ['google-analytics.com', 'googletagmanager.com'];
    v.requests = v.requests.filter((r) => !gone.includes(r.classification.domain ?? ''));
    v.cookies = v.cookies.filter((c) => !['IDE', ...(v.kind === 'none' ? [] : ['_ga'])].includes(c.name));
  }
  return a;
}

const report = (a: Artefacts): Report => analyze(a, GOLDEN_META);

describe('privacyChanges', () => {
  it('lists what the later of two real reports added', () => {
    const changes = privacyChanges(report(lastWeek()).privacy, report(tracking()).privacy);
    expect(changes?.newThirdParties.map((t) => t.company)).toEqual(expect.arrayContaining(['Hotjar']));
    expect(changes?.newThirdParties.every((t) => t.tracker)).toBe(true);
    expect(changes?.trackingBeforeConsent).toEqual(['Hotjar']);
    expect(changes?.trackingAfterReject).toEqual(['Google']);
    expect(changes?.newCookiesBeforeConsent).toEqual([{ name: 'IDE', domain: '.doubleclick.net' }]);
  });

  it('is quiet when nothing was added, when things went away, and without a baseline', () => {
    const now = report(tracking()).privacy;
    expect(privacyChanges(now, report(tracking()).privacy)).toBeUndefined();
    expect(privacyChanges(now, report(lastWeek()).privacy)).toBeUndefined();
    expect(privacyChanges(undefined, now)).toBeUndefined();
    expect(
      privacyChanges({ ...now!, error: { code: 'browser_unavailable', message: 'x' } }, now),
    ).toBeUndefined();
  });
});

describe.each(engines)('privacy alerts from consecutive browser scans on %s', (engine) => {
  let t: ServiceTestApp;
  beforeAll(async () => {
    t = await createServiceApp(engine, {}, []);
  }, 120_000);
  afterAll(async () => t?.close());

  const storeBrowserScan = async (orgId: string, siteId: string, r: Report) => {
    const id = await insertRunningScan(t, orgId, siteId);
    await t.db.kysely.updateTable('scans').set({ browser: true }).where('id', '=', id).execute();
    expect(await storeResult(t.db, id, r)).toBe(true);
    return id;
  };
  const events = (orgId: string) =>
    t.db.kysely.selectFrom('alert_events').select(['type', 'details']).where('org_id', '=', orgId).execute();

  it('raises privacy.changed when a scan adds tracking, and mails what changed', async () => {
    const { orgId, siteId } = await twoOrgsAndSite(t);
    const first = await storeBrowserScan(orgId, siteId, report(lastWeek()));
    await raiseScanAlerts(t.db, first);
    expect((await events(orgId)).filter((e) => e.type === 'privacy.changed')).toEqual([]);

    const second = await storeBrowserScan(orgId, siteId, report(tracking()));
    await raiseScanAlerts(t.db, second);
    const raised = (await events(orgId)).filter((e) => e.type === 'privacy.changed');
    expect(raised).toHaveLength(1);
    const details = JSON.parse(raised[0]!.details) as Record<string, unknown>;
    expect(details).toMatchObject({
      scanId: second,
      trackingBeforeConsent: ['Hotjar'],
      trackingAfterReject: ['Google'],
    });

    const mail = describeEvent('privacy.changed', details, 'https://vioscan.example');
    expect(mail.subject).toBe('VIOscan: new tracking on https://shop.example.test/');
    expect(mail.text).toContain('- Now tracking before consent: Hotjar');
    expect(mail.text).toContain('- Now tracking after "reject all": Google');
    expect(mail.text).toContain('- New cookie before consent: IDE on .doubleclick.net');
    expect(mail.text).toContain(`https://vioscan.example/scans/${second}`);

    // The same tracking again: nothing new, no alert.
    const third = await storeBrowserScan(orgId, siteId, report(tracking()));
    await raiseScanAlerts(t.db, third);
    expect((await events(orgId)).filter((e) => e.type === 'privacy.changed')).toHaveLength(1);
  });
});
