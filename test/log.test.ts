import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrub, terminalLogger } from '../src/log.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger('info', stream), lines, stream };
}

describe('log redaction', () => {
  it.each([
    ['mail alice@example.com now', 'mail [email] now'],
    ['Authorization: Bearer abcdefgh12345678', 'Authorization: Bearer [redacted]'],
    ['token vio_pat_AbCdEf123456789', 'token vio_pat_[redacted]'],
    ['/verify?token=s3cr3tvalue&x=1', '/verify?token=[redacted]&x=1'],
    // The sign-in link's token (GET /auth/confirm?t=…) is in the access log's url.
    ['/auth/confirm?t=Zm9vYmFyYmF6cXV4&x=1', '/auth/confirm?t=[redacted]&x=1'],
    ['nothing to hide', 'nothing to hide'],
  ])('scrub(%j)', (input, output) => {
    expect(scrub(input)).toBe(output);
  });

  it('scrubs messages, nested objects and serialised errors, and keeps the rest of the line', () => {
    const { logger, lines } = capture();
    logger.info({ user: { contact: 'bob@example.org' }, scope: 'auth' }, 'sign-in asked by bob@example.org');
    logger.error({ err: new Error('bad token vio_pat_ZZZZZZZZZZZZ for carol@example.net') }, 'failed');
    logger.info(
      { req: { headers: { authorization: 'Bearer topsecretvalue', cookie: '__Host-s=abc' } } },
      'request',
    );
    const text = lines.join('');
    for (const secret of [
      'bob@example.org',
      'carol@example.net',
      'ZZZZZZZZZZZZ',
      'topsecretvalue',
      '__Host-s=abc',
    ]) {
      expect(text).not.toContain(secret);
    }
    const [first, second] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toMatchObject({
      scope: 'auth',
      user: { contact: '[email]' },
      msg: 'sign-in asked by [email]',
    });
    expect((second!.err as { message: string; stack: string }).message).toBe(
      'bad token vio_pat_[redacted] for [email]',
    );
    expect((second!.err as { stack: string }).stack).toContain('Error: bad token');
  });

  it('on a terminal prints readable lines, still scrubbed; elsewhere JSON lines', () => {
    const pretty = capture();
    const tty = terminalLogger('info', { isTTY: true, color: false, destination: pretty.stream });
    tty.info({ scope: 'auth' }, 'sign-in asked by dave@example.org with /auth/confirm?t=Zm9vYmFyYmF6cXV4');
    const line = pretty.lines.join('');
    expect(line).toMatch(
      /^\[\d\d:\d\d:\d\d\] INFO: \[auth\] sign-in asked by \[email\] with \/auth\/confirm\?t=\[redacted\]\n/,
    );
    expect(line).not.toMatch(/dave@|Zm9vYmFy|"level"/);

    const plain = capture();
    terminalLogger('info', { isTTY: false, color: false, destination: plain.stream }).info(
      { scope: 'ops' },
      'listening',
    );
    expect(JSON.parse(plain.lines.join(''))).toMatchObject({ level: 30, scope: 'ops', msg: 'listening' });
  });
});
