import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPendingExports } from '../../../src/modules/privacy/export.ts';
import { engines } from '../../helpers/engines.ts';
import { buildUser, sessionHeaders } from '../../helpers/trust.ts';
import { testConfig } from '../../http/app-helpers.ts';
import { BASE_URL, createIdentityApp, type IdentityTestApp } from '../auth/helpers.ts';

describe.each(engines)('export status on %s', (engine) => {
  let t: IdentityTestApp;
  const config = testConfig({ BASE_URL });
  beforeAll(async () => {
    t = await createIdentityApp(engine);
  });
  afterAll(async () => t.close());

  it('lists only your own exports, pending then ready, never with the link token', async () => {
    const [user, other] = [await buildUser(t.db), await buildUser(t.db)];
    const headers = await sessionHeaders(t.db, config, user);
    const otherHeaders = await sessionHeaders(t.db, config, other);
    const empty = await t.app.inject({ url: '/api/v1/account/exports', headers });
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual({ exports: [] });

    const requested = await t.app.inject({
      method: 'POST',
      url: '/api/v1/account/exports',
      headers,
      payload: {},
    });
    const { id, url } = requested.json<{ id: string; url: string }>();
    const pending = await t.app.inject({ url: '/api/v1/account/exports', headers });
    expect(pending.json().exports).toEqual([
      expect.objectContaining({ id, status: 'pending', readyAt: null, expired: false }),
    ]);
    expect(pending.body).not.toContain(url.split('token=')[1]);
    expect((await t.app.inject({ url: '/api/v1/account/exports', headers: otherHeaders })).json()).toEqual({
      exports: [],
    });

    await buildPendingExports(t.db, config);
    const ready = await t.app.inject({ url: '/api/v1/account/exports', headers });
    expect(ready.json().exports[0]).toMatchObject({ id, status: 'ready', readyAt: expect.any(String) });
    expect((await t.app.inject({ url: '/api/v1/account/exports' })).statusCode).toBe(401);
  });
});
