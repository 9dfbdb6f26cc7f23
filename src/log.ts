import pino, { type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';

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

/**
 * The logger of a command a person runs (`vioscan serve`, `vioscan worker`): readable lines
 * (pino-pretty) when stdout is a terminal, JSON lines otherwise (files, log collectors). The
 * redaction runs before either (hooks.streamWrite), so pretty lines are scrubbed as well.
 */
export function terminalLogger(
  level: string,
  terminal: { isTTY: boolean; color: boolean; destination?: NodeJS.WritableStream } = {
    isTTY: false,
    color: false,
  },
): Logger {
  if (!terminal.isTTY)
    return terminal.destination ? createLogger(level, terminal.destination) : createLogger(level);
  return createLogger(
    level,
    pretty({
      colorize: terminal.color,
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname,scope',
      messageFormat: '{if scope}[{scope}] {end}{msg}',
      singleLine: true,
      sync: true,
      ...(terminal.destination && { destination: terminal.destination }),
    }),
  );
}

/** Development notices for the person at the terminal, outside the log and its redaction (see IdentityDeps.devNotice). */
export function writeDevNotice(text: string): void {
  process.stderr.write(`\n${text}\n\n`);
}

export function scoped(logger: Logger, scope: LogScope): Logger {
  return logger.child({ scope });
}
