/**
 * The automated penetration test (issue 17 item 8), part of `npm test`:
 *  (a) every operation of the served OpenAPI document gets malformed input (fuzz-cases.ts) and must
 *      answer without a 5xx and without internal detail;
 *  (b) every non-public route taking an id is tried as a member of another organisation, with no
 *      session, with a token lacking the scope, with a revoked token and after removal from the
 *      organisation, and must answer 401, 403 or 404 with the error envelope and none of the data.
 * Both walks read what the app registered, so a new route is covered without touching this file.
 * Rate limits are raised for this app only (createServiceApp).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenScopes, type Access } from '../../src/modules/auth/permissions.ts';
import { storeResult } from '../../src/modules/scans/run.ts';
import { engines } from '../helpers/engines.ts';
import { buildStaff } from '../helpers/trust.ts';
import { fillParams, registeredRoutes, type WalkedRoute } from '../http/route-walk.ts';
import type { SignedIn } from '../modules/auth/helpers.ts';
import { createToken, createServiceApp, signIn, type ServiceTestApp } from '../modules/scans/helpers.ts';
import { buildReport, insertRunningScan, twoOrgsAndSite } from '../modules/service-fixtures.ts';
import { fuzzCases, INTERNAL_DETAIL, sample, sampleQuery, type OpenApiOperation } from './fuzz-cases.ts';

type OpenApiDocument = { paths: Record<string, Record<string, OpenApiOperation>> };

const SITE_URL = 'https://pentest-secret-site.example.test/';

/** Writes last, and what touches the caller's own account after everything else. */
function order(method: string, path: string): number {
  const m = method === 'GET' ? 0 : method === 'DELETE' ? 2 : 1;
  return m + (/\/(auth|account)\b/.test(path) ? 3 : 0);
}

describe.each(engines)('penetration test on %s', (engine) => {
  let t: ServiceTestApp;
  let owner: SignedIn;
  let outsider: SignedIn;
  let orgId: string;
  let staffHeaders: Record<string, string>;
  const ids: Record<string, string> = {};
  /** Strings of the owner's organisation that must never appear in an answer to someone else. */
  const secrets: string[] = [];

  beforeAll(async () => {
    t = await createServiceApp(engine, {}, []);
    let siteId: string;
    ({ owner, outsider, orgId, siteId } = await twoOrgsAndSite(t, SITE_URL));
    const scanId = await insertRunningScan(t, orgId, siteId, SITE_URL);
    await storeResult(
      t.db,
      scanId,
      buildReport({
        target: SITE_URL,
        grade: 'C',
        score: 50,
        checks: [],
        findings: [{ checkId: 'hsts', severity: 'high', evidence: 'pentest-secret-evidence' }],
      }),
    );
    const finding = await t.db.kysely
      .selectFrom('findings')
      .select('id')
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow();
    const hook = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${orgId}/webhooks`,
      headers: owner.headers,
      payload: { url: 'http://127.0.0.1:9/pentest-secret-hook' },
    });
    expect(hook.statusCode).toBe(201);
    const token = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${orgId}/tokens`,
      headers: owner.headers,
      payload: { name: 'pentest-secret-token', scopes: [...tokenScopes] },
    });
    const session = await t.db.kysely
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', owner.userId)
      .executeTakeFirstOrThrow();
    Object.assign(ids, {
      orgId,
      siteId,
      scanId,
      findingId: finding.id,
      webhookId: hook.json().id,
      tokenId: token.json().id,
      userId: owner.userId,
      sessionId: session.id,
    });
    secrets.push(
      SITE_URL,
      'pentest-secret-site',
      'pentest-secret-evidence',
      'pentest-secret-hook',
      'pentest-secret-token',
      'owner@example.com',
      siteId,
      scanId,
      finding.id,
    );
    staffHeaders = (await buildStaff(t.db, t.config, 'admin')).headers;
  }, 180_000);
  afterAll(async () => t?.close());

  it('(a) malformed input to every OpenAPI operation: no 5xx, no internal detail', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json<OpenApiDocument>();
    const operations = Object.entries(doc.paths)
      .flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
      )
      .sort((a, b) => order(a.method, a.path) - order(b.method, b.path));
    expect(operations.length).toBeGreaterThan(80);
    const fill = (name: string) => ids[name] ?? randomUUID();
    const failures: string[] = [];
    let sent = 0;
    for (const { path, method, op } of operations) {
      const headers = path.startsWith('/api/v1/admin') ? staffHeaders : owner.headers;
      for (const c of fuzzCases(path, op, fill, t.config.bodyLimit)) {
        const res = await t.app.inject({
          method: method as 'GET',
          url: c.url,
          headers: { ...headers, ...(c.contentType && { 'content-type': c.contentType }) },
          ...(c.payload !== undefined && { payload: c.payload }),
        });
        sent++;
        if (res.statusCode >= 500 || INTERNAL_DETAIL.test(res.body))
          failures.push(`${method} ${path} [${c.name}] → ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(1000);
  }, 300_000);

  it('(b) every route with an id refuses other members, no session, narrow and revoked tokens, removed members', async () => {
    // A member who is then removed keeps a valid session, just no organisation.
    const removed = await signIn(t, 'removed@example.com');
    await t.db.kysely
      .insertInto('memberships')
      .values({ org_id: orgId, user_id: removed.userId, role: 'admin' })
      .execute();
    const removal = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/orgs/${orgId}/members/${removed.userId}`,
      headers: owner.headers,
    });
    expect(removal.statusCode).toBeLessThan(300);
    // For each scope a token may carry, a token with every other one.
    const lacking = new Map<string, string>();
    for (const scope of tokenScopes)
      lacking.set(
        scope,
        await createToken(
          t,
          owner,
          orgId,
          tokenScopes.filter((s) => s !== scope),
        ),
      );
    const full = await createToken(t, owner, orgId, [...tokenScopes]);
    const made = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${orgId}/tokens`,
      headers: owner.headers,
      payload: { name: 'revoked', scopes: [...tokenScopes] },
    });
    const revoked = made.json<{ token: string }>().token;
    const revoke = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/orgs/${orgId}/tokens/${made.json<{ id: string }>().id}`,
      headers: owner.headers,
    });
    expect(revoke.statusCode).toBeLessThan(300);

    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json<OpenApiDocument>();
    const tokenFor = (access: Access) =>
      typeof access === 'object' && lacking.has(access.permission) ? lacking.get(access.permission)! : full;
    const routes = registeredRoutes(t.app).filter(
      (r: WalkedRoute) => r.access !== 'public' && r.params.some((p) => p === 'id' || p.endsWith('Id')),
    );
    expect(routes.length).toBeGreaterThan(25);
    const failures: string[] = [];
    let ownerReads = 0;
    for (const route of routes.sort((a, b) => order(a.method, a.url) - order(b.method, b.url))) {
      // A well-formed request, so only the caller is wrong (validation would answer 400 first).
      const op = doc.paths[route.url.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()] ?? {};
      const url = `${fillParams(route.url, ids, randomUUID())}${sampleQuery(op)}`;
      const body = op.requestBody?.content?.['application/json']?.schema;
      const callers: [string, Record<string, string>][] = [
        ['member of another organisation', outsider.headers],
        ['no session', { 'sec-fetch-site': 'same-origin' }],
        ['token lacking the scope', { authorization: `Bearer ${tokenFor(route.access)}` }],
        ['revoked token', { authorization: `Bearer ${revoked}` }],
        ['removed member', removed.headers],
      ];
      // The control: the owner reads the same URL, so the refusals below are about the caller alone.
      if (route.method === 'GET' && (await t.app.inject({ url, headers: owner.headers })).statusCode === 200)
        ownerReads++;
      for (const [who, headers] of callers) {
        const res = await t.app.inject({
          method: route.method as 'GET',
          url,
          headers,
          ...(['POST', 'PUT', 'PATCH'].includes(route.method) && { payload: (sample(body) ?? {}) as object }),
        });
        const leaked = secrets.filter((s) => res.body.includes(s) && !url.includes(s));
        const envelope =
          String(res.headers['content-type']).startsWith('application/json') && 'error' in res.json();
        if (![401, 403, 404].includes(res.statusCode) || leaked.length > 0 || !envelope)
          failures.push(
            `${route.method} ${route.url} as ${who} → ${res.statusCode} ${leaked.join(',')} ${res.body.slice(0, 120)}`,
          );
      }
    }
    expect(failures).toEqual([]);
    expect(ownerReads).toBeGreaterThan(8);
  }, 300_000);
});
