import type { IncomingMessage } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorCatalog, type ErrorCode } from '../../core/errors.ts';

/** Fastify's own error codes that mean something to a client, in our words. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
};

export function sendError(
  reply: FastifyReply,
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
): FastifyReply {
  // a client told to wait is told how long in the standard header too
  if (code === 'RATE_LIMITED' && typeof details?.retryAfterSeconds === 'number') {
    reply.header('retry-after', String(details.retryAfterSeconds));
  }
  return reply
    .code(errorCatalog[code].status)
    .type('application/json; charset=utf-8')
    .send({ error: { code, message, ...(details ? { details } : {}) } });
}

/**
 * Renders every error as `{"error": {code, message, details}}`. Anything outside the catalog
 * becomes INTERNAL: logged with its request id, answered without stack or detail.
 */
export function registerErrorHandling(
  app: FastifyInstance,
  options: {
    /**
     * Asked first for a request no route matched (the web console's own paths, which only it
     * routes); true when it answered.
     */
    notFoundFallback?: (request: FastifyRequest, reply: FastifyReply) => boolean;
    /** the methods a path has routes for (method-not-allowed.ts): some → 405, none → 404 */
    allowedMethods?: (path: string) => string[];
  } = {},
): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError)
      return sendError(reply, error.code, error.message, error.details);
    const mapped = error.code ? fastifyCodes[error.code] : undefined;
    if (mapped === 'PAYLOAD_TOO_LARGE') {
      // answered once the client has finished sending (see discardRestOfBody)
      return discardRestOfBody(request.raw).then(() =>
        sendError(
          reply,
          mapped,
          `The request body is larger than ${describeBytes(request.routeOptions.bodyLimit)} (the limit of ${request.method} ${request.routeOptions.url ?? 'this route'})`,
        ),
      );
    }
    if (mapped) {
      const message =
        mapped === 'UNSUPPORTED_MEDIA_TYPE'
          ? `Content-Type '${request.headers['content-type'] ?? ''}' is not supported; send application/json`
          : errorCatalog[mapped].message;
      return sendError(reply, mapped, message);
    }
    if (error.validation) {
      return sendError(reply, 'VALIDATION_FAILED', error.message, {
        problems: error.validation.map((v) => ({ path: v.instancePath, message: v.message ?? '' })),
      });
    }
    request.log.error({ err: error, reqId: request.id }, 'unhandled error');
    return sendError(reply, 'INTERNAL', `${errorCatalog.INTERNAL.message} (request ${request.id})`);
  });

  app.setNotFoundHandler((request, reply) => {
    if (options.notFoundFallback?.(request, reply)) return reply;
    const path = request.url.split('?')[0] ?? '';
    const allowed = options.allowedMethods?.(path) ?? [];
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendError(
        reply,
        'METHOD_NOT_ALLOWED',
        `${request.method} is not a method of ${path}: use ${allowed.join(', ')}`,
        { method: request.method, allowed },
      );
    }
    return sendError(reply, 'NOT_FOUND', `No route ${request.method} ${path}`);
  });
}

/** A refused body is read and dropped up to this many bytes (16 MiB) ... */
export const maxDiscardedBodyBytes = 16 * 1024 * 1024;
/** ... or for this long (5 s), whichever comes first; then the connection is closed anyway. */
export const maxDiscardMs = 5_000;

/**
 * Reads and drops what is left of a refused request body. The 413 closes the connection
 * (Fastify sets Connection: close), and closing a socket with unread data makes the kernel
 * send a reset: a client still writing its body — Node's fetch (the CLI), without Expect:
 * 100-continue — then saw ECONNRESET or EPIPE instead of the 413, 6 to 16 times in 20 for a
 * 2–4 MiB body from another process. Bounded, so a client cannot keep the socket busy: a body
 * announced larger than 16 MiB is not waited for, and the wait ends after 16 MiB or 5 s.
 */
export function discardRestOfBody(raw: IncomingMessage): Promise<void> {
  const announced = Number(raw.headers['content-length']);
  if (raw.readableEnded || raw.destroyed || announced > maxDiscardedBodyBytes) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    let seen = 0;
    const timer = setTimeout(done, maxDiscardMs);
    function onData(chunk: Buffer): void {
      seen += chunk.length;
      if (seen > maxDiscardedBodyBytes) done();
    }
    function done(): void {
      clearTimeout(timer);
      raw.off('data', onData);
      raw.off('end', done);
      raw.off('error', done);
      raw.off('close', done);
      resolve();
    }
    raw.on('data', onData);
    raw.once('end', done);
    raw.once('error', done);
    raw.once('close', done);
    raw.resume();
  });
}

/** 1048576 → "1 MiB", 4096 → "4 KiB": limits are set in whole KiB or MiB. */
function describeBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
