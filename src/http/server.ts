import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { SecureContextOptions } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import type { ResolvedConfig } from '../config/load.ts';
import { MOZILLA_TLS_PROFILES } from '../scanner/data/mozilla-tls-profiles.ts';

/**
 * TLS settings for native HTTPS: TLS 1.2 is the floor (spec: "HTTPS with TLS 1.2+") and the
 * TLS 1.2 suites are Mozilla's intermediate profile (forward-secret AEAD only), the same data
 * the scanner's tls-cipher-suites check judges by; Node's default list also accepts CBC and
 * RSA key exchange.
 */
export function httpsOptions(
  config: ResolvedConfig,
): (SecureContextOptions & { minVersion: 'TLSv1.2' }) | undefined {
  if (!config.tlsCertFile || !config.tlsKeyFile) return undefined;
  return {
    cert: readFileSync(config.tlsCertFile),
    key: readFileSync(config.tlsKeyFile),
    minVersion: 'TLSv1.2',
    ciphers: MOZILLA_TLS_PROFILES.intermediate.ciphers.join(':'),
  };
}

/**
 * With native HTTPS, an optional plain-HTTP listener answers every request with a permanent
 * redirect to BASE_URL (never to the request's Host header, which an attacker controls).
 */
export function startHttpRedirect(config: ResolvedConfig, port: number): Promise<http.Server> {
  const target = new URL(config.baseUrl);
  const server = http.createServer((req, res) => {
    const location = new URL(req.url ?? '/', target).toString();
    res.writeHead(308, { location, 'content-type': 'text/plain', 'x-content-type-options': 'nosniff' });
    res.end(`Moved to ${location}\n`);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, config.host, () => resolve(server));
  });
}

export interface Listening {
  url: string;
  redirect?: http.Server;
  close(): Promise<void>;
}

export async function listen(app: FastifyInstance, config: ResolvedConfig): Promise<Listening> {
  const url = await app.listen({ port: config.port, host: config.host });
  const redirect =
    config.tlsCertFile && config.httpRedirectPort !== undefined
      ? await startHttpRedirect(config, config.httpRedirectPort)
      : undefined;
  return {
    url,
    ...(redirect ? { redirect } : {}),
    close: async () => {
      redirect?.close();
      await app.close();
    },
  };
}
