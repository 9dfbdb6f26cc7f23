import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/load.ts';
import { variables } from '../../src/config/schema.ts';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'vioscan-config-'));

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('config', () => {
  it('starts with no configuration at all on the embedded engine', () => {
    const dataDir = tmp();
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config.engine).toBe('pglite');
    expect(config.port).toBe(3000);
    expect(config.baseUrl).toBe('http://127.0.0.1:3000');
    expect(config.appSecret).toMatch(/^[0-9a-f]{64}$/);
  });

  it('generates secrets once, keeps them in DATA_DIR with mode 0600', () => {
    const dataDir = tmp();
    const first = loadConfig({ DATA_DIR: dataDir });
    const second = loadConfig({ DATA_DIR: dataDir });
    expect(second.appSecret).toBe(first.appSecret);
    expect(second.backupKey).toBe(first.backupKey);
    const file = path.join(dataDir, 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).appSecret).toBe(first.appSecret);
  });

  it.each([
    ['PORT', 'eighty', 'PORT: got "eighty", expected a port number 0-65535'],
    ['PORT', '70000', 'PORT: got "70000", expected a port number 0-65535'],
    [
      'LOG_LEVEL',
      'loud',
      'LOG_LEVEL: got "loud", expected one of fatal, error, warn, info, debug, trace, silent',
    ],
    ['ALLOW_PRIVATE_TARGETS', 'maybe', 'ALLOW_PRIVATE_TARGETS: got "maybe", expected true or false'],
    [
      'BASE_URL',
      'ftp://x',
      'BASE_URL: got "ftp://x", expected an http(s) URL such as https://vioscan.example.com',
    ],
    [
      'TRUST_PROXY',
      'yes please',
      'TRUST_PROXY: got "yes please", expected false, true, a number of hops, or a comma-separated list of IPs/CIDRs',
    ],
    ['WEB_CONCURRENCY', '0', 'WEB_CONCURRENCY: got "0", expected a positive integer'],
  ])('rejects %s=%s naming the variable, the value and what is expected', (name, value, message) => {
    expect(problemsOf({ DATA_DIR: tmp(), [name]: value })).toEqual([message]);
  });

  it('never echoes a sensitive value in an error', () => {
    const problems = problemsOf({ DATA_DIR: tmp(), DATABASE_URL: 'mysql://user:hunter2@db' });
    expect(problems).toEqual(['DATABASE_URL: got (hidden), expected a postgres:// or postgresql:// URL']);
  });

  it('reports every problem at once', () => {
    expect(problemsOf({ DATA_DIR: tmp(), PORT: 'x', LOG_LEVEL: 'y' })).toHaveLength(2);
  });

  it('refuses production without DATABASE_URL, explicit secrets and an https BASE_URL', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      DATA_DIR: tmp(),
      BASE_URL: 'http://vioscan.example.com',
    });
    expect(problems).toEqual([
      'DATABASE_URL: required in production (the embedded database is for trying VIOscan out)',
      'APP_SECRET: required in production, expected 64 hex characters',
      'BACKUP_KEY: required in production, expected 64 hex characters',
      'BASE_URL: got "http://vioscan.example.com", expected an https:// URL in production',
    ]);
  });

  it('accepts a complete production configuration without touching DATA_DIR', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      DATA_DIR: path.join(tmp(), 'never-created'),
      DATABASE_URL: 'postgres://app@db/vioscan',
      APP_SECRET: 'a'.repeat(64),
      BACKUP_KEY: 'b'.repeat(64),
      BASE_URL: 'https://vioscan.example.com/',
    });
    expect(config.engine).toBe('postgres');
    expect(config.baseUrl).toBe('https://vioscan.example.com');
  });

  it('documents every variable', () => {
    for (const spec of Object.values(variables)) {
      expect(spec.doc.length, spec.env).toBeGreaterThan(10);
      expect(spec.env).toMatch(/^[A-Z][A-Z0-9_]+$/);
    }
    expect(parseConfig({}).port).toBe(3000);
  });
});
