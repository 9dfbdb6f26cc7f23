import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { ResolvedConfig } from '../../config/load.ts';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface OutboxEntry extends Mail {
  id: string;
  from: string;
  at: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

export function outboxDir(config: Pick<ResolvedConfig, 'dataDir'>): string {
  return path.join(config.dataDir, 'outbox');
}

export function fromAddress(config: Pick<ResolvedConfig, 'baseUrl'>): string {
  return `VIOscan <no-reply@${new URL(config.baseUrl).hostname}>`;
}

/**
 * nodemailer to SMTP_URL; without it, each mail is a JSON file in DATA_DIR/outbox (mode 0600)
 * that the dev-only /dev/outbox page shows. In production SMTP must upgrade to TLS (ASVS 12.3.1).
 */
export function createMailer(config: ResolvedConfig, logger: Logger): Mailer {
  const from = fromAddress(config);
  if (config.smtpUrl) {
    const url = new URL(config.smtpUrl);
    const secure = url.protocol === 'smtps:';
    const options = {
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port) || (secure ? 465 : 587),
      secure,
      requireTLS: config.nodeEnv === 'production' && !secure,
      ...(url.username
        ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
        : {}),
    };
    // nodemailer is loaded with the first mail rather than at start-up (issue 16).
    let transport: Promise<Transporter> | undefined;
    return {
      async send(mail) {
        transport ??= import('nodemailer').then(({ default: nodemailer }) =>
          nodemailer.createTransport(options),
        );
        await (await transport).sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
      },
      close: () =>
        void transport?.then(
          (t) => t.close(),
          () => undefined,
        ),
    };
  }
  const dir = outboxDir(config);
  return {
    async send(mail) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const entry: OutboxEntry = { id: randomUUID(), from, at: new Date().toISOString(), ...mail };
      writeFileSync(path.join(dir, `${Date.now()}-${entry.id}.json`), JSON.stringify(entry, null, 2), {
        mode: 0o600,
      });
      logger.child({ scope: 'ops' }).debug({ outbox: dir }, 'mail written to the local outbox');
    },
    close: () => {},
  };
}

/** Newest first. */
export function readOutbox(config: Pick<ResolvedConfig, 'dataDir'>, limit = 50): OutboxEntry[] {
  const dir = outboxDir(config);
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files
    .sort()
    .reverse()
    .slice(0, limit)
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as OutboxEntry);
}
