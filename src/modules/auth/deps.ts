import type { Logger } from 'pino';
import type { ResolvedConfig } from '../../config/load.ts';
import type { Database } from '../../db/kysely.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { SecurityEvents } from '../security-events/service.ts';

/** What identity services need; built once per app by createIdentityDeps. */
export interface IdentityDeps {
  db: Database;
  config: ResolvedConfig;
  mailer: Mailer;
  events: SecurityEvents;
  logger: Logger;
  /**
   * Development only (no SMTP, not production): prints the sign-in link and code for the person at
   * the terminal. It bypasses the log's redaction on purpose, so nothing else may use it.
   */
  devNotice: (text: string) => void;
}

/** The client a request came from, for events, session rows and notifications. */
export interface ClientInfo {
  ip: string;
  userAgent?: string | undefined;
  requestId?: string | undefined;
}
