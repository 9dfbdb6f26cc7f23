import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import * as OTPAuth from 'otpauth';
import { SMTPServer } from 'smtp-server';
import type { Engine } from '../../../src/db/kysely.ts';
import type { PlatformRole } from '../../../src/db/types-identity.ts';
import { createTestApp, type TestApp } from '../../http/app-helpers.ts';
import { waitFor } from '../../helpers/wait.ts';

export const BASE_URL = 'https://vioscan.test';
export const ORIGIN = { origin: BASE_URL, 'sec-fetch-site': 'same-origin' };

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
}

/** A real SMTP server on loopback; mails are decoded just enough to read subject and body. */
export async function startSmtp(): Promise<{ port: number; mails: ReceivedMail[]; close(): Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (d: Buffer) => (raw += d.toString('utf8')));
      stream.on('end', () => {
        const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
        const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
        const subject = /^subject: (.*)$/im.exec(unfolded)?.[1] ?? '';
        let body = rest.join('\n\n');
        if (/quoted-printable/i.test(head)) {
          body = body
            .replace(/=\r?\n/g, '')
            .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
        }
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), subject, text: body });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface IdentityTestApp extends TestApp {
  mails: ReceivedMail[];
  dataDir: string;
}

export async function createIdentityApp(
  engine: Engine,
  env: Record<string, string> = {},
): Promise<IdentityTestApp> {
  const smtp = await startSmtp();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vioscan-id-'));
  const t = await createTestApp(engine, {
    // Load shedding is tested elsewhere; here a slow CI machine must not turn into 503s.
    env: {
      BASE_URL,
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      DATA_DIR: dataDir,
      MAX_EVENT_LOOP_DELAY_MS: '600000',
      ...env,
    },
  });
  return {
    ...t,
    mails: smtp.mails,
    dataDir,
    close: async () => {
      await t.close();
      await smtp.close();
    },
  };
}

/** name=value pairs from Set-Cookie headers. */
export function setCookies(response: LightMyRequestResponse): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of response.cookies as { name: string; value: string }[]) out[c.name] = c.value;
  return out;
}

export function cookieHeader(cookies: Record<string, string>): string {
  return Object.entries(cookies)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
}

export async function mailTo(
  mails: ReceivedMail[],
  to: string,
  subject: RegExp,
  after = 0,
): Promise<ReceivedMail> {
  return waitFor(async () => mails.slice(after).find((m) => m.to === to && subject.test(m.subject)));
}

export function codeOf(mail: ReceivedMail): string {
  return /Your code: (\d{6})/.exec(mail.text)![1]!;
}

export function linkTokenOf(mail: ReceivedMail): string {
  return /\/auth\/confirm\?t=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
}

export async function requestCode(app: FastifyInstance, email: string, ip = '10.0.0.1') {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/sign-in',
    remoteAddress: ip,
    payload: { email, acceptTerms: true },
  });
  return { response, nonce: setCookies(response)['__Host-vio_signin'] };
}

/** Enters an emailed sign-in code against the nonce cookie `requestCode` set (none: no cookie). */
export function enterCode(app: FastifyInstance, nonce: string | undefined, code: string, ip = '10.0.0.1') {
  return app.inject({
    method: 'POST',
    url: '/api/v1/auth/sign-in/code',
    remoteAddress: ip,
    headers: { ...ORIGIN, ...(nonce ? { cookie: `__Host-vio_signin=${nonce}` } : {}) },
    payload: { code },
  });
}

export interface SignedIn {
  cookie: string;
  csrf: string;
  userId: string;
  /** Headers for a state-changing browser request. */
  headers: Record<string, string>;
}

/** Full email-code sign-in through the API, reading the code from the SMTP server. */
export async function signIn(t: IdentityTestApp, email: string, ip = '10.0.0.1'): Promise<SignedIn> {
  const before = t.mails.length;
  const { nonce } = await requestCode(t.app, email, ip);
  const mail = await mailTo(t.mails, email, /sign-in code/, before);
  const response = await enterCode(t.app, nonce, codeOf(mail), ip);
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.body}`);
  const body = response.json<{ csrfToken: string; user: { id: string } }>();
  return { userId: body.user.id, ...sessionOf(response, body.csrfToken) };
}

function sessionOf(response: LightMyRequestResponse, csrf: string): Omit<SignedIn, 'userId'> {
  const cookie = sessionCookieOf(response);
  return { cookie, csrf, headers: { ...ORIGIN, cookie, 'x-csrf-token': csrf } };
}

/** The session cookie header a response set (sign-in, or any answer that rotated the session). */
export function sessionCookieOf(response: LightMyRequestResponse): string {
  return `__Host-vio_session=${setCookies(response)['__Host-vio_session']}`;
}

/** `s` after a response that rotated its session: the new cookie and CSRF token (default: the answer's). */
export function rotated(
  s: SignedIn,
  response: LightMyRequestResponse,
  csrf: string = response.json<{ csrfToken: string }>().csrfToken,
): SignedIn {
  return { ...s, ...sessionOf(response, csrf) };
}

/**
 * The code an authenticator app would show `offsetSteps` periods from now. The server accepts ±1
 * step and never the same step twice, so a second use in a test takes the next period's code.
 */
export function totpCode(secret: string, offsetSteps = 0): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), period: 30, digits: 6 }).generate({
    timestamp: Date.now() + offsetSteps * 30_000,
  });
}

/** Answers the TOTP step (a step-up, or finishing a held sign-in) with `code`. */
export function verifyTotp(t: TestApp, s: SignedIn, code: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/mfa/totp/verify',
    headers: s.headers,
    payload: { code },
  });
}

/** Enrols TOTP through the API; returns the secret, the recovery codes and the rotated session. */
export async function enableTotp(
  t: TestApp,
  s: SignedIn,
): Promise<{ secret: string; recoveryCodes: string[]; signedIn: SignedIn }> {
  const post = (url: string, payload: object) =>
    t.app.inject({ method: 'POST', url, headers: s.headers, payload });
  const setup = await post('/api/v1/auth/mfa/totp/setup', {});
  if (setup.statusCode !== 200) throw new Error(`TOTP setup failed: ${setup.body}`);
  const { secret } = setup.json<{ secret: string }>();
  const enabled = await post('/api/v1/auth/mfa/totp/enable', { code: totpCode(secret) });
  if (enabled.statusCode !== 200) throw new Error(`TOTP enable failed: ${enabled.body}`);
  const { recoveryCodes } = enabled.json<{ recoveryCodes: string[] }>();
  return { secret, recoveryCodes, signedIn: rotated(s, enabled) };
}

/** Makes an account platform staff straight in the database (the staff API itself needs staff). */
export async function setPlatformRole(t: TestApp, userId: string, role: PlatformRole = 'admin') {
  await t.db.kysely.updateTable('users').set({ platform_role: role }).where('id', '=', userId).execute();
}

/** Forgets every step-up of the account's sessions, so staff routes ask for a second factor again. */
export async function expireStepUp(t: TestApp, userId: string) {
  await t.db.kysely.updateTable('sessions').set({ mfa_at: null }).where('user_id', '=', userId).execute();
}

export async function eventsOf(t: TestApp, type: string) {
  return t.db.kysely
    .selectFrom('security_events')
    .selectAll()
    .where('type', '=', type)
    .orderBy('id')
    .execute();
}
