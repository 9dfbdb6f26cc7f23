import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from './config-error.ts';
import { variables, type Config } from './schema.ts';

export { ConfigError };

export interface ResolvedConfig extends Config {
  baseUrl: string;
  engine: 'postgres' | 'pglite';
  appSecret: string;
  backupKey: string;
}

type Env = Record<string, string | undefined>;

/** Validates every variable at once so the operator sees all mistakes in one run. */
export function parseConfig(env: Env): Config {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(variables)) {
    const raw = env[spec.env];
    const given = raw === undefined || raw === '' ? undefined : raw;
    const value = given ?? ('default' in spec ? spec.default : undefined);
    if (value === undefined) continue;
    const parsed = spec.schema.safeParse(value);
    if (parsed.success) {
      out[key] = parsed.data;
    } else {
      const shown = 'sensitive' in spec && spec.sensitive ? '(hidden)' : JSON.stringify(value);
      problems.push(`${spec.env}: got ${shown}, expected ${spec.expected}`);
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return out as Config;
}

const SECRETS_FILE = 'secrets.json';

/** Secrets for the embedded default: generated once, kept in DATA_DIR with mode 0600. */
function localSecrets(dataDir: string): { appSecret: string; backupKey: string } {
  const file = path.join(dataDir, SECRETS_FILE);
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) chmodSync(file, 0o600);
    return JSON.parse(readFileSync(file, 'utf8')) as { appSecret: string; backupKey: string };
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secrets = { appSecret: randomBytes(32).toString('hex'), backupKey: randomBytes(32).toString('hex') };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' });
  return secrets;
}

export function resolveConfig(config: Config): ResolvedConfig {
  const problems: string[] = [];
  if (config.nodeEnv === 'production') {
    if (!config.databaseUrl)
      problems.push('DATABASE_URL: required in production (the embedded database is for trying VIOscan out)');
    if (!config.appSecret) problems.push('APP_SECRET: required in production, expected 64 hex characters');
    if (!config.backupKey) problems.push('BACKUP_KEY: required in production, expected 64 hex characters');
    if (!config.baseUrl?.startsWith('https://'))
      problems.push(
        `BASE_URL: got ${JSON.stringify(config.baseUrl ?? '')}, expected an https:// URL in production`,
      );
  }
  if (Boolean(config.tlsCertFile) !== Boolean(config.tlsKeyFile)) {
    problems.push('TLS_CERT_FILE / TLS_KEY_FILE: set both or neither');
  }
  if (problems.length) throw new ConfigError(problems);

  const needLocal = !config.appSecret || !config.backupKey;
  const local = needLocal ? localSecrets(config.dataDir) : undefined;
  const scheme = config.tlsCertFile ? 'https' : 'http';
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    ...config,
    baseUrl: (config.baseUrl ?? `${scheme}://${hostForUrl}:${config.port}`).replace(/\/$/, ''),
    engine: config.databaseUrl ? 'postgres' : 'pglite',
    appSecret: config.appSecret ?? local!.appSecret,
    backupKey: config.backupKey ?? local!.backupKey,
  };
}

export function loadConfig(env: Env = process.env): ResolvedConfig {
  return resolveConfig(parseConfig(env));
}
