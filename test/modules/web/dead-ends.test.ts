import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../../src/scanner/types.ts';
import { engines } from '../../helpers/engines.ts';
import { ensureWebBuild } from '../../e2e/build.ts';
import { createTestApp, missingHeaders, testConfig, type TestApp } from '../../http/app-helpers.ts';
import { buildUser, sessionHeaders } from '../../helpers/trust.ts';

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const report = (target: string) => ({ target, grade: 'B', findings: [] }) as unknown as Report;

describe.each(engines)('no dead ends on %s', (engine) => {
  let t: TestApp;
  let now = new Date('2026-03-01T10:00:00Z');

  beforeAll(async () => {
    await ensureWebBuild();
    t = await createTestApp(engine, {
      env: { ALLOW_PRIVATE_TARGETS: 'true' },
      publicScans: { now: () => now, scan: async (url) => ({ report: report(url) }) },
    });
  }, 120_000);
  afterAll(async () => t?.close());

  it('a browser asking for an unknown page gets the app (its 404 page) with status 404', async () => {
    for (const url of ['/no/such/page', '/sites/x/y', '/healthzz']) {
      const res = await t.app.inject({ url, headers: { accept: HTML } });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toMatch(/<div id="root">/);
      expect(missingHeaders(res.headers)).toEqual([]);
    }
  });

  it('the API, other methods and non-browser clients keep the JSON envelope', async () => {
    for (const [method, url, accept] of [
      ['GET', '/api/v1/nothing-here', HTML],
      ['GET', '/api', HTML],
      ['GET', '/no/such/page', 'application/json'],
      ['GET', '/no/such/page', '*/*'],
      ['POST', '/no/such/page', HTML],
    ] as const) {
      const res = await t.app.inject({ method, url, headers: { accept } });
      expect(res.statusCode, `${method} ${url} ${accept}`).toBe(404);
      expect(res.json()).toEqual({ error: { code: 'not_found', message: 'No such resource.' } });
    }
  });

  it('an expired public report answers 410 report_expired with its target, an unknown one 404', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/public-scans',
      payload: { url: 'http://127.0.0.1:9/' },
    });
    expect(created.statusCode).toBe(201);
    const { id, expiresAt } = created.json();
    now = new Date(Date.parse(expiresAt) + 1000);
    for (const url of [`/api/v1/public-scans/${id}`, `/api/v1/public-scans/${id}/report?format=md`]) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(410);
      expect(res.json()).toEqual({
        error: {
          code: 'report_expired',
          message:
            'This report has expired: public reports are kept for an hour. Scan the site again for a new one.',
          details: { target: 'http://127.0.0.1:9/', expiredAt: expiresAt },
        },
      });
    }
    const unknown = await t.app.inject({ url: '/api/v1/public-scans/AAAAAAAAAAAAAAAAAAAAAA' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('not_found');
  });

  it('the session probe answers 204 for nobody (no 401 for the browser to log), 200 for a session', async () => {
    const events = () => t.db.kysely.selectFrom('security_events').select('type').execute();
    const before = (await events()).length;
    const probe = await t.app.inject({ url: '/api/v1/auth/session?probe=1' });
    expect(probe.statusCode).toBe(204);
    expect(probe.body).toBe('');
    expect((await events()).length).toBe(before);
    // Without ?probe=1 the contract is unchanged: 401, recorded as a denied request.
    const plain = await t.app.inject({ url: '/api/v1/auth/session' });
    expect(plain.statusCode).toBe(401);
    expect(plain.json().error.code).toBe('unauthorized');
    expect((await events()).map((e) => e.type).slice(before)).toEqual(['authz.denied']);
    const user = await buildUser(t.db, { email: 'probe@example.test' });
    const headers = await sessionHeaders(t.db, testConfig(), user);
    const signedIn = await t.app.inject({ url: '/api/v1/auth/session?probe=1', headers });
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().user.email).toBe('probe@example.test');
    const bad = await t.app.inject({ url: '/api/v1/auth/session?probe=yes' });
    expect(bad.statusCode).toBe(401);
  });
});
