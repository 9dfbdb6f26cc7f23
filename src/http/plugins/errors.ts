import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { stdSerializers } from 'pino';
import { AppError, envelope, errorCatalogue, type ErrorCode } from '../../errors.ts';
import { staticSecurityHeaders } from './security-headers.ts';

export interface FieldIssue {
  /** Where the bad value is: `body.site.url`, `querystring.limit`, `params.id`. */
  path: string;
  message: string;
}

/** At most this many field issues are returned, so a hostile body cannot grow the answer. */
const MAX_ISSUES = 20;

const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
};

function fieldIssues(error: FastifyError): FieldIssue[] {
  const part = error.validationContext ?? 'body';
  return (error.validation ?? []).slice(0, MAX_ISSUES).map((issue) => {
    const segments = issue.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    // Ajv reports an unknown or missing property at its parent; name the property itself.
    const params = issue.params as { additionalProperty?: string; missingProperty?: string };
    const named = params.additionalProperty ?? params.missingProperty;
    if (named !== undefined) segments.push(named);
    return { path: [part, ...segments].join('.'), message: issue.message ?? 'is invalid' };
  });
}

function codeForStatus(status: number): ErrorCode | undefined {
  return (Object.keys(errorCatalogue) as ErrorCode[]).find((code) => errorCatalogue[code].status === status);
}

/** Maps anything thrown to a catalogue entry; only catalogue messages reach the client. */
export function toAppError(error: FastifyError | Error): AppError {
  if (error instanceof AppError) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) return new AppError('validation_failed', undefined, fieldIssues(fastifyError));
  const mapped = fastifyError.code ? fastifyCodes[fastifyError.code] : undefined;
  if (mapped) return new AppError(mapped);
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) return new AppError(codeForStatus(status) ?? 'bad_request');
  return new AppError(status === 503 ? 'unavailable' : 'internal');
}

function sendError(request: FastifyRequest, reply: FastifyReply, error: FastifyError | Error): FastifyReply {
  const appError = toAppError(error);
  if (appError.status >= 500 && error instanceof AppError) {
    // A deliberate 5xx (shedding, a dependency down) was already explained where it was raised.
    request.log.warn({ code: appError.code, reason: appError.message }, 'request refused');
  } else if (appError.status >= 500) {
    // The original error (stack included) goes to the log under the request id, never to the
    // client. Serialised first so the logger's scrubber sees plain strings, not an Error.
    request.log.error({ err: stdSerializers.err(error), code: appError.code }, 'request failed');
  }
  return reply
    .status(appError.status)
    .type('application/json; charset=utf-8')
    .send(envelope(appError.code, appError.message, appError.details));
}

export interface ErrorsPluginOptions {
  /** The web app's HTML: a browser asking for an unknown page gets it with 404 and renders "Page not found". */
  notFoundPage?: () => string;
}

/** A browser navigating (Accept: text/html) outside the API; API clients always get the JSON envelope. */
function wantsPage(request: FastifyRequest): boolean {
  if (request.url === '/api' || request.url.startsWith('/api/')) return false;
  return (request.headers.accept ?? '').includes('text/html');
}

async function errorsPlugin(app: FastifyInstance, options: ErrorsPluginOptions): Promise<void> {
  app.setErrorHandler((error, request, reply) => sendError(request, reply, error as FastifyError));
  // Unknown routes count against the rate limit too, so probing for paths is not free.
  app.setNotFoundHandler(
    { preHandler: app.hasDecorator('rateLimitHook') ? app.rateLimitHook : undefined },
    (request, reply) => {
      if (options.notFoundPage && request.method === 'GET' && wantsPage(request))
        return reply
          .status(404)
          .header('cache-control', 'no-cache')
          .type('text/html; charset=utf-8')
          .send(options.notFoundPage());
      return sendError(request, reply, new AppError('not_found'));
    },
  );
}

export default fp(errorsPlugin, { name: 'vioscan-errors', fastify: '5.x' });

const rawErrors: Record<string, ErrorCode> = {
  HPE_HEADER_OVERFLOW: 'headers_too_large',
  ERR_HTTP_REQUEST_TIMEOUT: 'request_timeout',
};

/**
 * Answers errors Node's HTTP parser raises before fastify sees a request — headers over
 * `maxHeaderSize` (431), a request that never finishes arriving (408), garbage (400) — with the
 * same envelope and security headers as any other error. Bound to the fastify instance.
 */
export function clientErrorHandler(
  this: FastifyInstance,
  error: Error & { code?: string },
  socket: Socket,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const code = rawErrors[error.code ?? ''] ?? 'bad_request';
  const { status } = errorCatalogue[code];
  const body = JSON.stringify(envelope(code));
  const requestId = randomUUID();
  this.log.info({ reqId: requestId, code, parserError: error.code }, 'client error before routing');
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
    'x-request-id': requestId,
    ...staticSecurityHeaders(Boolean((socket as TLSSocket).encrypted)),
  };
  if (socket.writable) {
    const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n${head.join('')}\r\n${body}`);
  }
  socket.destroy(error);
}
