import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ResolvedConfig } from '../../config/load.ts';
import { AppError } from '../../errors.ts';
import { safeEqual } from '../../modules/auth/crypto.ts';
import { NONCE_COOKIE } from '../../modules/auth/sign-in.ts';
import { SESSION_COOKIE, csrfTokenFor } from '../../modules/auth/sessions.ts';

export const CSRF_HEADER = 'x-csrf-token';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for requests that carry our cookies (docs/authentication.md, OWASP CSRF cheat
 * sheet): (1) Fetch Metadata — Sec-Fetch-Site must be same-origin or none; (2) Origin, when
 * sent, must be BASE_URL's; (3) a session-authenticated change also needs the synchronizer
 * token in X-CSRF-Token. Bearer-token requests carry no ambient credential and are exempt.
 */
async function csrfPlugin(app: FastifyInstance, options: { config: ResolvedConfig }): Promise<void> {
  const self = new URL(options.config.baseUrl).origin;
  app.addHook('onRequest', (request, _reply, done) => {
    if (SAFE.has(request.method) || request.auth?.via === 'token') return done();
    const cookies = request.cookies;
    if (!cookies[SESSION_COOKIE] && !cookies[NONCE_COOKIE]) return done();
    check(request).then(() => done(), done);
  });

  async function check(request: FastifyRequest): Promise<void> {
    const site = request.headers['sec-fetch-site'];
    const origin = request.headers.origin;
    let reason: string | undefined;
    if (site !== undefined && site !== 'same-origin' && site !== 'none') reason = 'fetch_site';
    else if (origin !== undefined && origin !== self) reason = 'origin';
    // Public routes (sign-in) have no session to bind a token to; the sign-in nonce cookie and
    // the checks above cover them (login CSRF).
    else if (request.auth?.via === 'session' && request.routeOptions.config.access !== 'public') {
      const sent = request.headers[CSRF_HEADER];
      const expected = csrfTokenFor(options.config.appSecret, request.auth.session.id);
      if (typeof sent !== 'string' || !safeEqual(sent, expected)) reason = 'token';
    }
    if (!reason) return;
    await app.identity.events.record({
      type: 'csrf.blocked',
      outcome: 'failure',
      userId: request.auth?.user.id,
      ip: request.ip,
      requestId: request.id,
      details: { reason, route: request.routeOptions.url, method: request.method },
    });
    throw new AppError('csrf_failed');
  }
}

export default fp(csrfPlugin, { name: 'vioscan-csrf', fastify: '5.x', dependencies: ['vioscan-session'] });
