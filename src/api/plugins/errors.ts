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
    if (mapped) {
      const message =
        mapped === 'PAYLOAD_TOO_LARGE'
          ? `The request body is larger than ${describeBytes(request.routeOptions.bodyLimit)} (the limit of ${request.method} ${request.routeOptions.url ?? 'this route'})`
          : mapped === 'UNSUPPORTED_MEDIA_TYPE'
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

/** 1048576 → "1 MiB", 4096 → "4 KiB": limits are set in whole KiB or MiB. */
function describeBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
