import pino, { type Logger } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { requestLogger } from '../../src/http/request-logger.ts';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('requestLogger', () => {
  it('makes no pino child while nothing is logged at an enabled level', () => {
    const { logger, lines } = capture('warn');
    const child = vi.spyOn(logger, 'child');
    const log = requestLogger(logger, { reqId: 'r-1' }, {});
    log.info('not written');
    log.debug({ a: 1 }, 'not written');
    expect((log as Logger).isLevelEnabled('info')).toBe(false);
    expect(child).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
  });

  it('writes enabled lines bound to the request id, and children keep it', () => {
    const { logger, lines } = capture('info');
    const log = requestLogger(logger, { reqId: 'r-2' }, {});
    log.warn({ pressure: 'rssBytes' }, 'shedding load');
    log.child({ scope: 'auth' }).info('scoped');
    expect(lines).toMatchObject([
      { reqId: 'r-2', pressure: 'rssBytes', msg: 'shedding load', level: 40 },
      { reqId: 'r-2', scope: 'auth', msg: 'scoped', level: 30 },
    ]);
  });

  it("gives a route with its own level pino's child at once", () => {
    const { logger, lines } = capture('warn');
    const log = requestLogger(logger, { reqId: 'r-3' }, { level: 'debug' });
    log.debug('written');
    expect(lines).toMatchObject([{ reqId: 'r-3', msg: 'written' }]);
  });
});
