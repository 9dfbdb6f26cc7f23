import * as openpgp from 'openpgp';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../src/modules/audit/service.ts';
import { securityTxt, securityTxtBody } from '../../../src/modules/disclosure/security-txt.ts';
import { parseSecurityTxt } from '../../../src/scanner/parse/security-txt.ts';
import { buildStaff } from '../../helpers/trust.ts';
import { engines } from '../../helpers/engines.ts';
import { testConfig } from '../../http/app-helpers.ts';
import { BASE_URL, createIdentityApp, mailTo, type IdentityTestApp } from '../auth/helpers.ts';

const YEAR = 365 * 86_400_000;

describe('security.txt body', () => {
  it('follows RFC 9116: contacts in order, Expires under a year ahead, Canonical and Policy on BASE_URL', () => {
    const config = testConfig({
      BASE_URL: 'https://scan.example',
      SECURITY_CONTACT: 'mailto:sec@scan.example,https://scan.example/report',
      SECURITY_LANGUAGES: 'en,fr',
    });
    const now = new Date('2025-08-14T15:00:00Z');
    const text = securityTxtBody(config, now);
    expect(text).toContain('Contact: mailto:sec@scan.example\nContact: https://scan.example/report\n');
    const expires = new Date(/Expires: (\S+)/.exec(text)![1]!);
    expect(expires.getTime()).toBeGreaterThan(now.getTime());
    expect(expires.getTime()).toBeLessThan(now.getTime() + YEAR);
    expect(text).toContain('Preferred-Languages: en, fr\n');
    expect(text).toContain('Canonical: https://scan.example/.well-known/security.txt\n');
    expect(text).toContain('Policy: https://scan.example/security#vulnerability-disclosure\n');
  });

  it('defaults Contact to security@ the BASE_URL host', () => {
    expect(securityTxtBody(testConfig({ BASE_URL: 'https://vio.example' }))).toContain(
      'Contact: mailto:security@vio.example\n',
    );
  });

  it('clear-signs with the configured OpenPGP key, and the signature verifies', async () => {
    const { privateKey, publicKey } = await openpgp.generateKey({
      userIDs: [{ email: 'security@vio.example' }],
      format: 'armored',
    });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'vioscan-pgp-')), 'key.asc');
    writeFileSync(file, privateKey, { mode: 0o600 });
    const config = testConfig({ BASE_URL: 'https://vio.example', SECURITY_PGP_KEY_FILE: file });
    const signed = await securityTxt(config);
    expect(signed).toMatch(/^-----BEGIN PGP SIGNED MESSAGE-----/);
    const message = await openpgp.readCleartextMessage({ cleartextMessage: signed });
    const result = await openpgp.verify({
      message,
      verificationKeys: await openpgp.readKey({ armoredKey: publicKey }),
    });
    await expect(result.signatures[0]!.verified).resolves.toBe(true);
    expect(String(result.data).trim()).toBe(securityTxtBody(config).trim());
  });
});

describe.each(engines)('disclosure on %s', (engine) => {
  let t: IdentityTestApp;
  beforeAll(async () => {
    t = await createIdentityApp(engine);
  });
  afterAll(async () => t.close());

  it('serves security.txt as text/plain utf-8 that our own parser accepts', async () => {
    const response = await t.app.inject({ url: '/.well-known/security.txt' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    const parsed = parseSecurityTxt(response.body);
    expect(JSON.stringify(parsed)).toContain('mailto:security@vioscan.test');
    expect(response.body).toContain(`Canonical: ${BASE_URL}/.well-known/security.txt`);
  });

  it('takes a report without an account, acknowledges it by mail and audits it; bad input changes nothing', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/disclosure/reports',
      remoteAddress: '10.9.0.1',
      payload: { title: 'x', description: 'too short' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
    expect(await t.db.kysely.selectFrom('vulnerability_reports').selectAll().execute()).toEqual([]);

    const before = t.mails.length;
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/disclosure/reports',
      remoteAddress: '10.9.0.1',
      payload: {
        title: 'Reflected XSS in search',
        description: 'The q parameter is echoed unescaped.',
        email: 'Finder@Example.org',
      },
    });
    expect(response.statusCode).toBe(202);
    const { id } = response.json<{ id: string }>();
    const ack = await mailTo(t.mails, 'finder@example.org', /We received your security report/, before);
    expect(ack.text).toContain(id);
    const audit = await t.db.kysely.selectFrom('audit_log').select(['action', 'target_id']).execute();
    expect(audit).toContainEqual({ action: 'disclosure.reported', target_id: id });
  });

  it('rate-limits the form per client', async () => {
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/disclosure/reports',
        remoteAddress: '10.9.0.2',
        payload: { title: 'Spam report', description: 'Lorem ipsum dolor sit.' },
      });
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await send()).statusCode);
    expect(codes).toEqual([202, 202, 202, 202, 202, 429]);
    expect((await send()).json().error.code).toBe('rate_limited');
  });

  it('gives the security role a triage queue with due dates from the remediation targets and tells the reporter', async () => {
    const config = testConfig({ BASE_URL });
    const support = await buildStaff(t.db, config, 'support');
    expect(
      (await t.app.inject({ url: '/api/v1/admin/disclosure/reports', headers: support.headers })).statusCode,
    ).toBe(404);

    const security = await buildStaff(t.db, config, 'security');
    const queue = await t.app.inject({
      url: '/api/v1/admin/disclosure/reports?status=new',
      headers: security.headers,
    });
    expect(queue.statusCode).toBe(200);
    const report = queue.json().reports.find((r: { title: string }) => r.title === 'Reflected XSS in search');
    expect(report).toMatchObject({ status: 'new', severity: null, dueAt: null });

    const invalid = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/disclosure/reports/${report.id}`,
      headers: security.headers,
      payload: { status: 'triaged', severity: 'urgent' },
    });
    expect(invalid.json().error.code).toBe('validation_failed');

    const before = t.mails.length;
    const triaged = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/disclosure/reports/${report.id}`,
      headers: security.headers,
      payload: { status: 'triaged', severity: 'high' },
    });
    expect(triaged.statusCode).toBe(200);
    expect(new Date(triaged.json().dueAt).getTime() - new Date(report.createdAt).getTime()).toBe(
      3 * 86_400_000,
    );
    await mailTo(t.mails, 'finder@example.org', /is now triaged/, before);

    const closed = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/disclosure/reports/${report.id}`,
      headers: security.headers,
      payload: { status: 'resolved' },
    });
    expect(closed.json()).toMatchObject({ status: 'resolved', severity: 'high' });
    const again = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/disclosure/reports/${report.id}`,
      headers: security.headers,
      payload: { status: 'fixing' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('conflict');

    const actions = (await t.db.kysely.selectFrom('audit_log').select('action').orderBy('seq').execute()).map(
      (a) => a.action,
    );
    expect(actions.filter((a) => a === 'disclosure.triaged')).toHaveLength(2);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
  });
});
