import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TEST_DATABASE_URL } from '../helpers/engines.ts';

/**
 * deploy/ (docs/deployment.md): web and worker connect as the application role and never see the
 * owner's credentials; a one-shot migrate step runs as the owner with DATABASE_APP_ROLE. No Docker
 * engine runs here, so the compose file is parsed and interpolated as Compose would; the Postgres
 * init script runs against the test PostgreSQL; the systemd units go through `systemd-analyze verify`.
 */
const deploy = path.resolve(import.meta.dirname, '../../deploy');
const read = (file: string) => readFileSync(path.join(deploy, file), 'utf8');

interface Service {
  image?: string;
  command?: string[];
  env_file?: string | string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
  read_only?: boolean;
  tmpfs?: string[];
}

/** Compose's `${VAR}`, `${VAR:?message}` and `${VAR:-default}`, failing like Compose on a missing required variable. */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(
    /\$\{([A-Z_][A-Z0-9_]*)(?:(:\?|:-)([^}]*))?\}/g,
    (_, name: string, op?: string, arg?: string) => {
      const value = env[name];
      if (value) return value;
      if (op === ':?') throw new Error(`required variable ${name} is missing a value: ${arg}`);
      return op === ':-' ? (arg ?? '') : '';
    },
  );
}

const OWNER_PASSWORD = 'owner-secret-0f3a';
const APP_PASSWORD = 'app-secret-9c1e';
const compose = (env: Record<string, string>) =>
  parse(interpolate(read('compose.yaml'), env)) as { services: Record<string, Service> };
const services = compose({ POSTGRES_PASSWORD: OWNER_PASSWORD, VIOSCAN_APP_PASSWORD: APP_PASSWORD }).services;
const envFiles = (s: Service) => [s.env_file ?? []].flat();
const urlOf = (s: Service) => new URL(s.environment?.DATABASE_URL ?? 'missing:');

describe('deploy/compose.yaml', () => {
  it('refuses to start without either password, like `docker compose config` would', () => {
    expect(() => compose({ VIOSCAN_APP_PASSWORD: APP_PASSWORD })).toThrow(/POSTGRES_PASSWORD/);
    expect(() => compose({ POSTGRES_PASSWORD: OWNER_PASSWORD })).toThrow(/VIOSCAN_APP_PASSWORD/);
  });

  it.each(['web', 'worker'])(
    '%s connects as vioscan_app, after migrate, with no owner credentials',
    (name) => {
      const service = services[name]!;
      const url = urlOf(service);
      expect(url.username).toBe('vioscan_app');
      expect(url.password).toBe(APP_PASSWORD);
      expect(JSON.stringify(service)).not.toContain(OWNER_PASSWORD);
      expect(service.environment).not.toHaveProperty('DATABASE_APP_ROLE');
      expect(service.environment).not.toHaveProperty('POSTGRES_PASSWORD');
      // `.env` holds the owner's password (for Compose's interpolation): never loaded into the service.
      expect(envFiles(service)).toEqual(['vioscan.env']);
      expect(service.depends_on?.migrate).toEqual({ condition: 'service_completed_successfully' });
    },
  );

  it('migrate runs `vioscan migrate` once, as the owner, granting DATABASE_APP_ROLE', () => {
    const migrate = services.migrate!;
    expect(migrate.command).toEqual(['migrate']);
    expect(migrate.environment?.DATABASE_APP_ROLE).toBe('vioscan_app');
    const url = urlOf(migrate);
    expect(url.username).toBe(services.db!.environment?.POSTGRES_USER);
    expect(url.password).toBe(OWNER_PASSWORD);
    expect(migrate.restart).toBe('no');
    expect(migrate.depends_on?.db).toEqual({ condition: 'service_healthy' });
    expect(envFiles(migrate)).toEqual(['vioscan.env']);
    // The role the owner grants is the one web and worker connect as.
    expect(urlOf(services.web!).username).toBe(migrate.environment?.DATABASE_APP_ROLE);
  });

  it('the database creates the role at first start from a mounted init script and an environment password', () => {
    const db = services.db!;
    expect(db.volumes).toContain('./postgres/10-app-role.sql:/docker-entrypoint-initdb.d/10-app-role.sql:ro');
    expect(existsSync(path.join(deploy, 'postgres/10-app-role.sql'))).toBe(true);
    expect(db.environment?.VIOSCAN_APP_PASSWORD).toBe(APP_PASSWORD);
    // Only the database container and the owner's migrate step hold the owner's password.
    const holders = Object.entries(services)
      .filter(([, s]) => JSON.stringify(s).includes(OWNER_PASSWORD))
      .map(([n]) => n);
    expect(holders.sort()).toEqual(['db', 'migrate']);
  });

  it('commits no secret: the env files are ignored by git and the init script holds no password', () => {
    const sql = read('postgres/10-app-role.sql');
    expect(sql).not.toMatch(/password\s+'/i);
    expect(sql).toContain("password :'app_password'");
    for (const file of ['deploy/.env', 'deploy/vioscan.env']) {
      const ignored = spawnSync('git', ['check-ignore', '-q', file], { cwd: path.dirname(deploy) });
      expect([file, ignored.status]).toEqual([file, 0]);
    }
  });
});

describe('deploy/Dockerfile', () => {
  /** Instructions per stage, continuation lines joined, comments dropped, as Docker reads them. */
  const stages = read('Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .reduce<{ from: string; lines: [string, string][] }[]>((out, line) => {
      const [, instruction = '', rest = ''] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
      if (instruction.toUpperCase() === 'FROM') out.push({ from: rest, lines: [] });
      else out.at(-1)!.lines.push([instruction.toUpperCase(), rest]);
      return out;
    }, []);
  const final = stages.at(-1)!.lines;
  const all = (instruction: string) => final.filter(([i]) => i === instruction).map(([, rest]) => rest);

  it('builds the image from the packed tarball, not from the sources', () => {
    expect(stages).toHaveLength(2);
    expect(stages[0]!.lines.find(([i]) => i === 'RUN')?.[1]).toMatch(/npm ci .*&& npm pack /);
    expect(all('COPY')).toEqual(['--from=pack /tmp/vioscan.tgz /tmp/vioscan.tgz']);
    expect(all('RUN').join(' ')).toMatch(/npm install --global --omit=dev .*\/tmp\/vioscan\.tgz/);
    expect(JSON.parse(all('ENTRYPOINT')[0]!)).toEqual(['/usr/bin/tini', '--', 'vioscan']);
  });

  it('runs as a non-root user with its data in a volume, and checks readiness, not liveness', () => {
    expect(all('USER')).toEqual(['vioscan']);
    // Everything after USER runs unprivileged; nothing switches back.
    expect(final.findIndex(([i]) => i === 'USER')).toBeGreaterThan(final.findLastIndex(([i]) => i === 'RUN'));
    expect(all('VOLUME')).toEqual(['["/var/lib/vioscan"]']);
    expect(all('ENV').join(' ')).toMatch(/DATA_DIR=\/var\/lib\/vioscan\b/);
    expect(all('HEALTHCHECK').join(' ')).toContain("'/readyz'");
    expect(all('HEALTHCHECK').join(' ')).not.toContain('/healthz');
  });

  it("installs Debian's Chromium with its setuid sandbox helper and never the uBlock extension for Chromium", () => {
    const apt = all('RUN').find((r) => r.includes('apt-get install'))!;
    expect(apt.split(/\s+/)).toEqual(expect.arrayContaining(['chromium', 'chromium-sandbox']));
    expect(read('Dockerfile')).not.toMatch(/^[^#]*webext-ublock-origin-chromium/m);
    expect(all('ENV').join(' ')).toContain('CHROMIUM_PATH=/usr/bin/chromium');
  });

  it('compose runs every VIOscan container with a read-only root filesystem and a writable /tmp', () => {
    for (const name of ['migrate', 'web', 'worker']) {
      const service = services[name]!;
      expect([name, service.read_only, service.tmpfs]).toEqual([name, true, ['/tmp']]);
    }
    for (const name of ['web', 'worker'])
      expect(services[name]!.volumes?.some((v) => v.endsWith(':/var/lib/vioscan'))).toBe(true);
    expect(services.worker!.command).toEqual(['worker']);
  });
});

describe('deploy/postgres/10-app-role.sql on PostgreSQL', () => {
  const role = `vioscan_app_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'vioscan-initdb-'));
  const script = path.join(dir, 'init.sql');
  writeFileSync(script, read('postgres/10-app-role.sql').replaceAll('vioscan_app', role));
  /** As the postgres image's entrypoint runs it: psql -v ON_ERROR_STOP=1 --no-psqlrc -f. */
  const run = (env: Record<string, string>) =>
    spawnSync('psql', ['-v', 'ON_ERROR_STOP=1', '--no-psqlrc', '-f', script, TEST_DATABASE_URL], {
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
    });
  const query = async <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      return (await client.query<T>(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  afterAll(async () => {
    await query(`drop role if exists ${role}`);
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails, creating nothing, without VIOSCAN_APP_PASSWORD', async () => {
    const result = run({});
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('VIOSCAN_APP_PASSWORD is not set');
    expect(await query('select 1 from pg_roles where rolname = $1', [role])).toEqual([]);
  });

  it('creates a plain login role with the password from the environment', async () => {
    const result = run({ VIOSCAN_APP_PASSWORD: APP_PASSWORD });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const [found] = await query<Record<string, boolean>>(
      `select rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolinherit, rolbypassrls,
              rolpassword is not null as has_password
       from pg_authid where rolname = $1`,
      [role],
    );
    expect(found).toEqual({
      rolcanlogin: true,
      rolsuper: false,
      rolcreaterole: false,
      rolcreatedb: true,
      rolinherit: false,
      rolbypassrls: false,
      has_password: true,
    });
    // The stored verifier is of the environment's password (SCRAM or md5, per password_encryption).
    const [{ verifier } = { verifier: '' }] = await query<{ verifier: string }>(
      'select rolpassword as verifier from pg_authid where rolname = $1',
      [role],
    );
    expect(verifier).not.toContain(APP_PASSWORD);
    expect(verifier).toMatch(/^(SCRAM-SHA-256\$|md5)/);
  });
});

describe('deploy/systemd', () => {
  const units = ['vioscan-migrate.service', 'vioscan-web.service', 'vioscan-worker.service'];
  /** section -> key -> every value (keys such as EnvironmentFile= repeat). */
  const unit = (file: string) => {
    const out: Record<string, Record<string, string[]>> = {};
    let section = '';
    for (const line of read(`systemd/${file}`).split('\n')) {
      const header = /^\[(\w+)\]$/.exec(line.trim());
      if (header) section = header[1]!;
      else if (line.trim() && !line.trim().startsWith('#')) {
        const at = line.indexOf('=');
        expect(at, `${file}: ${line}`).toBeGreaterThan(0);
        ((out[section] ??= {})[line.slice(0, at)] ??= []).push(line.slice(at + 1));
      }
    }
    return out;
  };

  it('a one-shot migrate unit runs as the owner (migrate.env) and web and worker require it', () => {
    const migrate = unit('vioscan-migrate.service');
    expect(migrate.Service?.Type).toEqual(['oneshot']);
    expect(migrate.Service?.ExecStart).toEqual(['/usr/bin/node bin/vioscan.js migrate']);
    // Later files override earlier ones: the owner's DATABASE_URL and DATABASE_APP_ROLE win.
    expect(migrate.Service?.EnvironmentFile).toEqual(['/etc/vioscan/env', '/etc/vioscan/migrate.env']);
    for (const name of ['vioscan-web.service', 'vioscan-worker.service']) {
      const u = unit(name);
      expect(u.Unit?.Requires?.join(' ')).toContain('vioscan-migrate.service');
      expect(u.Unit?.After?.join(' ')).toContain('vioscan-migrate.service');
      expect(u.Service?.EnvironmentFile).toEqual(['/etc/vioscan/env']);
      expect(JSON.stringify(u.Service)).not.toMatch(/DATABASE_APP_ROLE|migrate\.env/);
    }
  });

  it('every unit passes `systemd-analyze verify` where systemd is installed, and is sandboxed', () => {
    for (const name of units) {
      const s = unit(name).Service!;
      expect([name, s.User, s.NoNewPrivileges, s.ProtectSystem]).toEqual([
        name,
        ['vioscan'],
        ['true'],
        ['strict'],
      ]);
    }
    const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));
    if (!analyze) return; // the structural checks above are what this machine can do
    const result = spawnSync(analyze, ['verify', ...units.map((u) => path.join(deploy, 'systemd', u))], {
      encoding: 'utf8',
    });
    // Unknown keys and bad values are only warnings (exit 0): none may be printed.
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
