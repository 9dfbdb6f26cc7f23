import { readFile } from 'node:fs/promises';
import type { ResolvedConfig } from '../../config/load.ts';

type Config = Pick<
  ResolvedConfig,
  'baseUrl' | 'securityContact' | 'securityLanguages' | 'securityPgpKeyFile'
>;

/** RFC 9116 §2.5.5 recommends less than a year; half a year, recomputed daily, never goes stale. */
export const EXPIRES_DAYS = 180;
export const SECURITY_TXT_PATH = '/.well-known/security.txt';
export const POLICY_FRAGMENT = '/security#vulnerability-disclosure';

export function securityContacts(config: Config): string[] {
  if (config.securityContact) return config.securityContact.split(',').map((c) => c.trim());
  return [`mailto:security@${new URL(config.baseUrl).hostname}`];
}

/** Midnight UTC, so the file (and its signature) changes once a day rather than every request. */
export function expiresAt(now: Date): Date {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  return new Date(day.getTime() + EXPIRES_DAYS * 86_400_000);
}

/** The unsigned body (RFC 9116 §2.5): Contact in order of preference, Expires, and the optional fields. */
export function securityTxtBody(config: Config, now = new Date()): string {
  const lines = [
    `# Security contact for ${new URL(config.baseUrl).host} (RFC 9116); it does not permit testing beyond our policy.`,
    ...securityContacts(config).map((c) => `Contact: ${c}`),
    `Expires: ${expiresAt(now).toISOString().replace('.000Z', 'Z')}`,
    `Preferred-Languages: ${config.securityLanguages
      .split(',')
      .map((l) => l.trim())
      .join(', ')}`,
    `Canonical: ${config.baseUrl}${SECURITY_TXT_PATH}`,
    `Policy: ${config.baseUrl}${POLICY_FRAGMENT}`,
  ];
  return `${lines.join('\n')}\n`;
}

let cached: { key: string; text: string } | undefined;

/**
 * The served file: clear-signed with OpenPGP (RFC 9116 §2.3, RFC 4880 §7) when SECURITY_PGP_KEY_FILE
 * is set, otherwise the plain body. The signature is cached until the body changes (daily).
 */
export async function securityTxt(config: Config, now = new Date()): Promise<string> {
  const body = securityTxtBody(config, now);
  if (!config.securityPgpKeyFile) return body;
  const key = `${config.securityPgpKeyFile}\n${body}`;
  if (cached?.key === key) return cached.text;
  const openpgp = await import('openpgp');
  const signingKeys = await openpgp.readPrivateKey({
    armoredKey: await readFile(config.securityPgpKeyFile, 'utf8'),
  });
  const message = await openpgp.createCleartextMessage({ text: body });
  const text = await openpgp.sign({ message, signingKeys });
  cached = { key, text };
  return text;
}
