import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { SMTPServer } from 'smtp-server';
import type { Engine } from '../../../src/db/kysely.ts';
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
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/sign-in/code',
    remoteAddress: ip,
    headers: { ...ORIGIN, cookie: `__Host-vio_signin=${nonce}` },
    payload: { code: codeOf(mail) },
  });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.body}`);
  const body = response.json<{ csrfToken: string; user: { id: string } }>();
  const cookie = `__Host-vio_session=${setCookies(response)['__Host-vio_session']}`;
  return {
    cookie,
    csrf: body.csrfToken,
    userId: body.user.id,
    headers: { ...ORIGIN, cookie, 'x-csrf-token': body.csrfToken },
  };
}

export async function eventsOf(t: TestApp, type: string) {
  return t.db.kysely
    .selectFrom('security_events')
    .selectAll()
    .where('type', '=', type)
    .orderBy('id')
    .execute();
}
