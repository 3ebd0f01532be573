import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * Routes a monitor calls every few seconds (a Kubernetes probe, a Prometheus scrape): two log
 * lines per call at `info` would bury every other request, so theirs are written at `debug`.
 */
export const probeRoutes: ReadonlySet<string> = new Set(['/healthz', '/metrics']);

function isProbe(request: FastifyRequest): boolean {
  // routeOptions is set once the request is routed; the raw URL otherwise (a 404 is no probe)
  return probeRoutes.has(request.routeOptions?.url ?? '');
}

/**
 * Fastify's request logging, with the probe routes' "incoming request" and "request completed"
 * lines at `debug` instead of `info`. Their errors are still logged as any other route's.
 */
export class QuietProbesLogController extends LogController {
  override incomingRequest(
    request: FastifyRequest,
    reply: FastifyReply,
    metadata?: Record<string, unknown>,
  ): void {
    if (isProbe(request)) {
      request.log.debug({ req: request }, 'incoming request');
      return;
    }
    super.incomingRequest(request, reply, metadata);
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
    metadata?: Record<string, unknown>,
  ): void {
    if (!error && isProbe(request) && reply.statusCode < 500) {
      reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, 'request completed');
      return;
    }
    super.requestCompleted(error, request, reply, metadata);
  }
}
