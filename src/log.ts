import pino, { type Logger, type LoggerOptions } from 'pino';

export type LogScope = 'http' | 'scan' | 'job' | 'auth' | 'ops';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// Bearer tokens, our own API tokens and anything that looks like a long secret in a query string
// (`t` is the sign-in link's token, /auth/confirm?t=…, which the access log's url would carry).
const TOKEN =
  /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}|\b(vio_[a-z]+_)[A-Za-z0-9_-]{8,}|([?&](?:t|token|code|key|secret|password)=)[^&\s"]+/gi;

/** Removes email addresses and tokens from free text before it reaches a log line. */
export function scrub(text: string): string {
  return text
    .replace(EMAIL, '[email]')
    .replace(
      TOKEN,
      (_m, bearer?: string, ours?: string, query?: string) => `${bearer ?? ours ?? query ?? ''}[redacted]`,
    );
}

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.token',
  '*.secret',
  '*.email',
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // Scrub the finished line, so messages, serialised errors and nested objects are all covered
    // and pino's serialisers (req, res, err) still see the original objects.
    hooks: { streamWrite: scrub },
  };
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}

export function scoped(logger: Logger, scope: LogScope): Logger {
  return logger.child({ scope });
}
