/**
 * A throwaway PKI for the loopback test sites, generated with the openssl CLI at test time
 * (no key is ever committed): one CA and leaf certificates for the cases the scanner judges.
 *
 *   const pki = await testPki();
 *   pki.caFile            // PEM file to pass as --ca
 *   pki.leaves.valid      // localhost + 127.0.0.1 + ::1, RSA 2048, signed by the CA
 *   pki.leaves.expired    // same names, notAfter in the past
 *   pki.leaves.wrongHost  // only wrong.example
 *   pki.leaves.selfSigned // localhost + 127.0.0.1, signs itself (EC P-256)
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Leaf {
  key: string;
  cert: string;
}

export interface TestPki {
  dir: string;
  caPem: string;
  caFile: string;
  leaves: { valid: Leaf; expired: Leaf; wrongHost: Leaf; selfSigned: Leaf; ec: Leaf };
}

// *.vioscan.test lets SSRF tests use "public-looking" names (RFC 6761 .test) that a stub DNS answers.
/** Longer than the scanner's 30-day expiry warning, so a "valid" leaf is judged fully valid. */
const LIFETIME_DAYS = 90;

const LOCAL_SAN = 'subjectAltName=DNS:localhost,DNS:*.vioscan.test,IP:127.0.0.1,IP:::1';

async function openssl(dir: string, args: string[]): Promise<void> {
  await run('openssl', args, { cwd: dir });
}

/**
 * A self-signed EC P-256 certificate written to `<name>.pem` with its key in `<name>.key` (paths
 * relative to `dir`); `extensions` are `-addext` values.
 */
export async function selfSignedCertificate(
  dir: string,
  name: string,
  opts: { cn: string; days: number; extensions?: string[] },
): Promise<{ certFile: string; keyFile: string }> {
  await openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-subj',
    `/CN=${opts.cn}`,
    '-days',
    String(opts.days),
    ...(opts.extensions ?? []).flatMap((ext) => ['-addext', ext]),
  ]);
  return { certFile: path.join(dir, `${name}.pem`), keyFile: path.join(dir, `${name}.key`) };
}

async function readLeaf(dir: string, name: string): Promise<Leaf> {
  return {
    key: await readFile(path.join(dir, `${name}.key`), 'utf8'),
    cert: await readFile(path.join(dir, `${name}.pem`), 'utf8'),
  };
}

async function leaf(
  dir: string,
  name: string,
  opts: { san: string; cn: string; days: number; rsa?: boolean },
): Promise<Leaf> {
  const key = opts.rsa ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  await openssl(dir, [
    'req',
    ...key,
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${opts.cn}`,
    '-addext',
    opts.san,
  ]);
  await openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    // Leaves are signed in parallel: a shared -CAcreateserial file races (and corrupts), so each
    // certificate gets its own random serial.
    '-set_serial',
    `0x${randomBytes(16).toString('hex')}`,
    '-days',
    String(opts.days),
    '-sha256',
    '-copy_extensions',
    'copy',
    '-out',
    `${name}.pem`,
  ]);
  return readLeaf(dir, name);
}

async function generate(): Promise<TestPki> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vioscan-pki-'));
  await selfSignedCertificate(dir, 'ca', {
    cn: 'VIOscan Test CA',
    days: LIFETIME_DAYS,
    extensions: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'],
  });
  const [valid, expired, wrongHost, ec] = await Promise.all([
    leaf(dir, 'valid', { san: LOCAL_SAN, cn: 'localhost', days: LIFETIME_DAYS, rsa: true }),
    // -days -1 puts notAfter one day before notBefore: a certificate that is already expired.
    leaf(dir, 'expired', { san: LOCAL_SAN, cn: 'localhost', days: -1 }),
    leaf(dir, 'wrong', { san: 'subjectAltName=DNS:wrong.example', cn: 'wrong.example', days: LIFETIME_DAYS }),
    leaf(dir, 'ec', { san: LOCAL_SAN, cn: 'localhost', days: LIFETIME_DAYS }),
  ]);
  await selfSignedCertificate(dir, 'self', { cn: 'localhost', days: 3, extensions: [LOCAL_SAN] });
  const selfSigned = await readLeaf(dir, 'self');
  const caPem = await readFile(path.join(dir, 'ca.pem'), 'utf8');
  // Keys live in memory from here on; only the public CA certificate stays on disk (for --ca).
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const caFile = path.join(dir, 'ca.pem');
  await writeFile(caFile, caPem);
  return { dir, caPem, caFile, leaves: { valid, expired, wrongHost, selfSigned, ec } };
}

let cached: Promise<TestPki> | undefined;

/** One PKI per test process; its temp dir goes with `disposeTestPki` or, at the latest, at exit. */
export function testPki(): Promise<TestPki> {
  if (!cached) {
    cached = generate();
    void cached.then(({ dir }) => process.once('exit', () => rmSync(dir, { recursive: true, force: true })));
  }
  return cached;
}

export async function disposeTestPki(): Promise<void> {
  if (!cached) return;
  const { dir } = await cached;
  cached = undefined;
  await rm(dir, { recursive: true, force: true });
}

/** Writes one leaf's certificate and key (mode 0600) into `dir`, for servers that read files (TLS_CERT_FILE). */
export async function writeLeafFiles(
  leafName: keyof TestPki['leaves'],
  dir: string,
): Promise<{ certFile: string; keyFile: string }> {
  const { leaves } = await testPki();
  const certFile = path.join(dir, `${leafName}.pem`);
  const keyFile = path.join(dir, `${leafName}.key`);
  await writeFile(certFile, leaves[leafName].cert, { mode: 0o600 });
  await writeFile(keyFile, leaves[leafName].key, { mode: 0o600 });
  return { certFile, keyFile };
}
