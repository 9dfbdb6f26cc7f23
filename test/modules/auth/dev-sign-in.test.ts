import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../helpers/engines.ts';
import { createTestApp, type TestApp } from '../../http/app-helpers.ts';
import { BASE_URL, enterCode, requestCode } from './helpers.ts';

describe.each(engines)('development sign-in notice on %s', (engine) => {
  let dev: TestApp;
  let test: TestApp;
  const notices: string[] = [];
  beforeAll(async () => {
    dev = await createTestApp(engine, { env: { NODE_ENV: 'development', BASE_URL } });
    test = await createTestApp(engine, { db: dev.db });
    await Promise.all([dev.app.ready(), test.app.ready()]);
    dev.app.identity.devNotice = (text) => notices.push(text);
    test.app.identity.devNotice = (text) => notices.push(`test: ${text}`);
  });
  afterAll(async () => {
    await test.close();
    await dev.close();
  });

  it('prints the link and the code in development without SMTP, and they sign in', async () => {
    const { nonce } = await requestCode(dev.app, 'dev@example.com');
    expect(notices).toHaveLength(1);
    const [, link, code] = /link: (\S+)\n {2}code: (\d{6})$/.exec(notices[0]!) ?? [];
    expect(notices[0]).toMatch(/^Sign-in for dev@example\.com \(development only\)\n/);
    expect(link).toMatch(/\/auth\/confirm\?t=[A-Za-z0-9_-]{20,}$/);
    const signedIn = await enterCode(dev.app, nonce, code!);
    expect(signedIn.statusCode, signedIn.body).toBe(200);
  });

  it('prints nothing outside development', async () => {
    await requestCode(test.app, 'quiet@example.com');
    expect(notices.filter((n) => n.startsWith('test:'))).toEqual([]);
  });
});
