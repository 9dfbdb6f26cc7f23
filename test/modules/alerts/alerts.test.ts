import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertDeliver } from '../../../src/jobs/alert-deliver.ts';
import { scan as scanJob } from '../../../src/jobs/scan.ts';
import type { JobDefinition } from '../../../src/jobs/types.ts';
import { webhookDeliver } from '../../../src/jobs/webhook-deliver.ts';
import { sendDigests } from '../../../src/modules/alerts/deliver.ts';
import { dispatchAlerts, raiseOverdue, raiseScanAlerts } from '../../../src/modules/alerts/events.ts';
import { sign, verifySignature } from '../../../src/modules/alerts/webhook.ts';
import { createMailer } from '../../../src/modules/mail/mailer.ts';
import { storeResult } from '../../../src/modules/scans/run.ts';
import type { Report, Severity } from '../../../src/scanner/types.ts';
import { engines } from '../../helpers/engines.ts';
import { waitFor } from '../../helpers/wait.ts';
import { mailTo, type SignedIn } from '../auth/helpers.ts';
import { createServiceApp, signIn, type ServiceTestApp } from '../scans/helpers.ts';
import { buildReport, checkResult, insertRunningScan, twoOrgsAndSite } from '../service-fixtures.ts';

describe('webhook signatures', () => {
  it('verifies the HMAC over timestamp and body, and refuses tampering and old timestamps', () => {
    const now = Date.now();
    const t = Math.floor(now / 1000);
    const header = `t=${t},v1=${sign('whsec_x', t, '{"a":1}')}`;
    expect(verifySignature('whsec_x', header, '{"a":1}', now)).toBe(true);
    expect(verifySignature('whsec_x', header, '{"a":2}', now)).toBe(false);
    expect(verifySignature('whsec_y', header, '{"a":1}', now)).toBe(false);
    expect(verifySignature('whsec_x', header, '{"a":1}', now + 301_000)).toBe(false);
    expect(verifySignature('whsec_x', 'garbage', '{"a":1}', now)).toBe(false);
  });
});

/** A report whose every finding failed its check (outcome `<check>-bad`, title `<check> is wrong`). */
const report = (grade: string, score: number, findings: { checkId: string; severity: Severity }[]): Report =>
  buildReport({ grade, score, checks: findings.map((f) => checkResult(f.checkId, 'fail')), findings });

describe.each(engines)('alerts on %s', (engine) => {
  let t: ServiceTestApp;
  let owner: SignedIn;
  let outsider: SignedIn;
  let orgId: string;
  let otherOrg: string;
  let siteId: string;
  let receiver: http.Server;
  let hookUrl: string;
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let failNext = 1;

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.statusCode = failNext-- > 0 ? 500 : 204;
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    t = await createServiceApp(engine, {}, [
      scanJob as JobDefinition,
      alertDeliver as JobDefinition,
      webhookDeliver as JobDefinition,
    ]);
    ({ owner, outsider, orgId, otherOrg, siteId } = await twoOrgsAndSite(t));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((r) => receiver?.close(() => r()));
  });

  const scanWith = async (r: Report) => {
    const id = await insertRunningScan(t, orgId, siteId);
    await storeResult(t.db, id, r);
    const raised = await raiseScanAlerts(t.db, id);
    await dispatchAlerts(t.db, t.jobs.boss);
    return raised;
  };

  it('refuses webhook URLs the SSRF guard refuses; other organisations see nothing', async () => {
    const before = await t.db.kysely.selectFrom('webhooks').selectAll().execute();
    for (const [url, status, code] of [
      ['http://169.254.169.254/latest', 422, 'target_not_allowed'],
      // the outside probe's spellings, with ALLOW_PRIVATE_TARGETS on in this app (issue 17 item 1)
      ['http://[::ffff:169.254.169.254]/', 422, 'target_not_allowed'],
      ['http://[::ffff:a9fe:a9fe]/', 422, 'target_not_allowed'],
      ['http://[64:ff9b::a9fe:a9fe]/', 422, 'target_not_allowed'],
      ['http://[::a9fe:a9fe]/', 422, 'target_not_allowed'],
      ['http://[2002:a9fe:a9fe::1]/', 422, 'target_not_allowed'],
      ['http://168.63.129.16/', 422, 'target_not_allowed'],
      ['file:///etc/passwd', 422, 'target_not_allowed'],
      ['not a url', 400, 'validation_failed'],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/orgs/${orgId}/webhooks`,
        headers: owner.headers,
        payload: { url },
      });
      expect(res.statusCode, url).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
    expect(await t.db.kysely.selectFrom('webhooks').selectAll().execute()).toEqual(before);
    expect(
      (await t.app.inject({ url: `/api/v1/orgs/${orgId}/webhooks`, headers: outsider.headers })).statusCode,
    ).toBe(404);
  });

  it('a new high finding mails subscribed members and posts a signed webhook, retried after a failure', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${orgId}/webhooks`,
      headers: owner.headers,
      payload: { url: hookUrl },
    });
    expect(created.statusCode).toBe(201);
    const { id: hookId, secret } = created.json();
    expect(secret).toMatch(/^whsec_/);
    const prefs = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/orgs/${orgId}/notification-preferences`,
      headers: owner.headers,
      payload: { emailEvents: ['finding.new_high'], digest: false },
    });
    expect(prefs.statusCode).toBe(200);
    const mailsBefore = t.mails.length;

    const raised = await scanWith(report('C', 60, [{ checkId: 'hsts', severity: 'high' }]));
    expect(raised).toHaveLength(1);
    const mail = await mailTo(t.mails, 'owner@example.com', /new critical or high findings/, mailsBefore);
    expect(mail.text).toContain('[high] hsts is wrong');
    const scan = await t.db.kysely
      .selectFrom('scans')
      .select('id')
      .where('site_id', '=', siteId)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(mail.text).toContain(`Open the report: ${t.config.baseUrl}/scans/${scan.id}`);

    const delivered = await waitFor(
      async () => {
        const res = await t.app.inject({
          url: `/api/v1/orgs/${orgId}/webhooks/${hookId}/deliveries`,
          headers: owner.headers,
        });
        const [d] = res.json().deliveries;
        return d?.status === 'delivered' ? d : undefined;
      },
      120_000,
      250,
    );
    expect(delivered).toMatchObject({ eventType: 'finding.new_high', attempts: 2, responseStatus: 204 });
    expect(received).toHaveLength(2);
    const last = received[1]!;
    expect(verifySignature(secret, String(last.headers['x-vioscan-signature']), last.body)).toBe(true);
    expect(JSON.parse(last.body)).toMatchObject({
      type: 'finding.new_high',
      orgId,
      data: { site: 'https://shop.example.test/' },
    });
    // Another organisation cannot read this delivery log.
    const cross = await t.app.inject({
      url: `/api/v1/orgs/${otherOrg}/webhooks/${hookId}/deliveries`,
      headers: outsider.headers,
    });
    expect(cross.statusCode).toBe(404);
  }, 180_000);

  it('a grade drop is raised for the webhook but not mailed to a member who opted out of it', async () => {
    const mailsBefore = t.mails.length;
    const raised = await scanWith(report('F', 20, [{ checkId: 'hsts', severity: 'high' }]));
    expect(raised).toHaveLength(1);
    const event = await t.db.kysely
      .selectFrom('alert_events')
      .selectAll()
      .where('id', '=', raised[0]!)
      .executeTakeFirstOrThrow();
    expect(event.type).toBe('grade.dropped');
    expect(JSON.parse(event.details)).toMatchObject({ from: 'C', to: 'F' });
    await waitFor(
      async () => (received.some((r) => JSON.parse(r.body).type === 'grade.dropped') ? true : undefined),
      60_000,
    );
    expect(t.mails.slice(mailsBefore).filter((m) => /grade dropped/.test(m.subject))).toEqual([]);
  }, 120_000);

  it('an overdue finding raises one alert, once; the daily digest lists the day’s alerts', async () => {
    await t.db.kysely
      .updateTable('findings')
      .set({ due_at: new Date(Date.now() - 60_000) })
      .where('org_id', '=', orgId)
      .execute();
    expect(await raiseOverdue(t.db)).toHaveLength(1);
    expect(await raiseOverdue(t.db)).toEqual([]);

    const digestReader = await signIn(t, 'digest@example.com');
    await t.app.inject({
      method: 'PUT',
      url: `/api/v1/orgs/${orgId}/members`,
      headers: owner.headers,
      payload: { email: 'digest@example.com', role: 'viewer' },
    });
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/orgs/${orgId}/notification-preferences`,
      headers: digestReader.headers,
      payload: { emailEvents: ['finding.new_high', 'finding.overdue', 'grade.dropped'], digest: true },
    });
    expect(put.statusCode).toBe(200);
    const mailer = createMailer(t.config, pino({ level: 'silent' }));
    const before = t.mails.length;
    expect(await sendDigests(t.db, mailer, t.config.baseUrl)).toBe(1);
    mailer.close();
    const digest = await mailTo(t.mails, 'digest@example.com', /daily digest: 3 alert/, before);
    expect(digest.text).toMatch(/past their remediation deadline/);
    expect(digest.text).toContain(`See the overdue findings: ${t.config.baseUrl}/findings?due=overdue`);
  }, 120_000);

  it('sends a signed test event on demand and says what the receiver answered', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${orgId}/webhooks`,
      headers: owner.headers,
      payload: { url: hookUrl, events: ['grade.dropped'] },
    });
    const { id: hookId, secret } = created.json();
    const deliveriesBefore = await t.db.kysely.selectFrom('webhook_deliveries').selectAll().execute();
    const test = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/orgs/${orgId}/webhooks/${hookId}/test`,
        headers: owner.headers,
        payload: {},
      });
    const count = received.length;
    failNext = 1;
    const failed = await test();
    expect(failed.statusCode).toBe(200);
    expect(failed.json()).toEqual({
      delivered: false,
      responseStatus: 500,
      message: 'Not delivered: the receiver answered HTTP 500; a 2xx answer is expected.',
    });
    const ok = await test();
    expect(ok.json()).toEqual({
      delivered: true,
      responseStatus: 204,
      message: 'Delivered: the receiver answered HTTP 204.',
    });
    expect(received).toHaveLength(count + 2);
    const last = received.at(-1)!;
    expect(last.headers['x-vioscan-event']).toBe('test');
    expect(verifySignature(secret, String(last.headers['x-vioscan-signature']), last.body)).toBe(true);
    expect(JSON.parse(last.body)).toMatchObject({ type: 'test', orgId });
    // Not an alert: nothing is queued or logged as a delivery.
    expect(await t.db.kysely.selectFrom('webhook_deliveries').selectAll().execute()).toEqual(
      deliveriesBefore,
    );
    const foreign = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${otherOrg}/webhooks/${hookId}/test`,
      headers: outsider.headers,
      payload: {},
    });
    expect(foreign.statusCode).toBe(404);
    expect(received).toHaveLength(count + 2);
  });
});
