import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook, signWebhook } from '../../src/ops/alerts.ts';

describe('alert webhook through the SSRF guard', () => {
  let server: http.Server;
  let port: number;
  let hits = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits++;
      res.writeHead(req.url === '/redirect' ? 302 : 200, { location: 'http://169.254.169.254/' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refuses loopback unless private targets are allowed, and never connects', async () => {
    const refused = await postWebhook(`http://127.0.0.1:${port}/hook`, '{}', {}, { allowPrivate: false });
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/^target not allowed/);
    expect(hits).toBe(0);
    const allowed = await postWebhook(`http://127.0.0.1:${port}/hook`, '{}', {}, { allowPrivate: true });
    expect(allowed).toEqual({ ok: true, status: 200 });
    expect(hits).toBe(1);
  });

  it('refuses cloud metadata even with private targets allowed, and a name that resolves there', async () => {
    const direct = await postWebhook('http://169.254.169.254/latest', '{}', {}, { allowPrivate: true });
    expect(direct.ok).toBe(false);
    const rebound = await postWebhook(
      'http://hook.example.test/',
      '{}',
      {},
      {
        allowPrivate: true,
        resolver: async () => [{ address: '169.254.169.254', family: 4 }],
      },
    );
    expect(rebound.ok).toBe(false);
    expect(rebound.error).toMatch(/metadata/);
  });

  it('does not follow redirects: a 302 is a failed delivery', async () => {
    const result = await postWebhook(`http://127.0.0.1:${port}/redirect`, '{}', {}, { allowPrivate: true });
    expect(result).toEqual({ ok: false, status: 302 });
  });

  it('signs timestamp and body: any change gives another MAC', () => {
    const at = Date.UTC(2026, 0, 1);
    const base = signWebhook('a'.repeat(64), '{"x":1}', at);
    expect(base).toMatch(/^t=1767225600,v1=[0-9a-f]{64}$/);
    expect(signWebhook('a'.repeat(64), '{"x":2}', at)).not.toBe(base);
    expect(signWebhook('a'.repeat(64), '{"x":1}', at + 1000)).not.toBe(base);
    expect(signWebhook('b'.repeat(64), '{"x":1}', at)).not.toBe(base);
  });
});
