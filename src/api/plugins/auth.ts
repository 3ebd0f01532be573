import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../core/context.ts';
import type { AccessService } from '../../domains/access/index.ts';
import { sendError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** set for every /api/v1 request that got past authentication */
    actor: Actor;
  }
}

/** Prometheus scrapes /metrics with a bearer token too: it names every connection. */
function isMetricsPath(url: string): boolean {
  return url === '/metrics' || url.startsWith('/metrics?');
}

/**
 * Every /api/v1 call (and /metrics) needs `Authorization: Bearer <token>`; this one hook guards them all,
 * so no route can forget it. Roles are enforced here too once users exist (issue: access).
 */
export function registerAuth(app: FastifyInstance, access: AccessService): void {
  app.decorateRequest('actor', null as unknown as Actor);
  // callback style: a token read in the last second is answered without a promise
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.url.startsWith('/api/') && !isMetricsPath(request.url)) return done();
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const token = match?.[1];
    if (!token) {
      sendError(
        reply,
        'UNAUTHENTICATED',
        'Send Authorization: Bearer <token> (see <data>/admin-token)',
      );
      return;
    }
    const admit = (actor: Actor | null) => {
      if (!actor) {
        sendError(reply, 'UNAUTHENTICATED', 'The token is unknown, revoked or expired');
        return;
      }
      request.actor = actor;
      done();
    };
    const known = access.authenticateIfKnown(token);
    if (known !== undefined) return admit(known);
    access.authenticate(token).then(admit, done);
  });
}
