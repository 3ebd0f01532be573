import { parseCookie } from 'cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../core/context.ts';
import {
  isCsrfTokenValid,
  isPermission,
  missingPermission,
  permissionRoles,
  sessionCookieName,
  type AccessService,
  type RoutePermission,
} from '../../domains/access/index.ts';
import { sendError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** set for every request that got past authentication */
    actor: Actor;
    /** the session cookie's value, when the request was authenticated by it */
    sessionCookie: string | undefined;
  }
  interface FastifyContextConfig {
    /** what the route needs (domains/access/permissions.ts); every /api and /metrics route says */
    permission?: RoutePermission;
    /**
     * open to a user who must change a password someone else set (who am I, the password
     * change, logout); every other route answers them PASSWORD_CHANGE_REQUIRED
     */
    beforePasswordChange?: true;
  }
}

/** Routes that must name a permission: the API and the metrics Prometheus scrapes. */
function isGuardedUrl(url: string): boolean {
  return url.startsWith('/api/') || url === '/metrics';
}

const readOnlyMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What the OpenAPI description says of a route open before the password change. */
export const beforePasswordChangeNote = 'Open to a user who must change their password first.';

function bearerTokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? '';
}

function sessionCookieOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  return parseCookie(header)[sessionCookieName] || undefined;
}

/**
 * Authentication and authorization for every route, in one place (issue "access" §4). Each
 * /api and /metrics route declares `config.permission`; a route that does not stops start-up,
 * so none can forget it. A request proves who it is with `Authorization: Bearer <token>` or the
 * console's session cookie; a cookie-authenticated change must also carry the session's
 * `X-CSRF-Token`. FORBIDDEN names the permission missing.
 */
export function registerAuth(app: FastifyInstance, access: AccessService): void {
  app.decorateRequest('actor', null as unknown as Actor);
  app.decorateRequest('sessionCookie', undefined);

  app.addHook('onRoute', (route) => {
    const permission = route.config?.permission;
    if (!isGuardedUrl(route.url)) return;
    if (permission !== 'public' && !isPermission(permission)) {
      throw new Error(
        `route ${String(route.method)} ${route.url} declares no permission (config.permission)`,
      );
    }
    // the OpenAPI document says what each operation needs (the HEAD route Fastify adds for a
    // GET shares its schema object: say it once)
    const needs =
      permission === 'public'
        ? ''
        : `Needs \`${permission}\` (${permissionRoles[permission]} or above).${
            route.config?.beforePasswordChange ? ` ${beforePasswordChangeNote}` : ''
          }`;
    if (route.schema && needs && !route.schema.description?.includes(needs)) {
      route.schema.description = route.schema.description
        ? `${route.schema.description}\n\n${needs}`
        : needs;
    }
  });

  function admit(
    request: FastifyRequest,
    reply: FastifyReply,
    actor: Actor | null,
    done: (error?: Error) => void,
  ): void {
    if (!actor) {
      sendError(
        reply,
        'UNAUTHENTICATED',
        request.sessionCookie === undefined
          ? 'The token is unknown, revoked or expired'
          : 'The session ended: log in again',
      );
      return;
    }
    request.actor = actor;
    const permission = request.routeOptions.config.permission;
    if (permission === undefined || permission === 'public') return done();
    if (
      request.sessionCookie !== undefined &&
      !readOnlyMethods.has(request.method) &&
      !isCsrfTokenValid(request.sessionCookie, headerText(request.headers['x-csrf-token']))
    ) {
      sendError(
        reply,
        'FORBIDDEN',
        'A change made with the session cookie needs the X-CSRF-Token header (the csrfToken of the login answer)',
        { reason: 'csrf' },
      );
      return;
    }
    // a password someone else set is as good as known to them: until its owner changes it,
    // the credential reads who it is, changes the password and logs out, nothing more (the
    // flag comes with the cached user row: no extra read on the hot path)
    if (actor.mustChangePassword && !request.routeOptions.config.beforePasswordChange) {
      sendError(
        reply,
        'PASSWORD_CHANGE_REQUIRED',
        `'${actor.name}' must change the password someone else set before doing anything else: POST /api/v1/users/me/password`,
        { user: actor.name },
      );
      return;
    }
    const missing = missingPermission(actor, permission);
    if (missing) {
      sendError(reply, missing.code, missing.message, missing.details);
      return;
    }
    done();
  }

  // callback style: a token read in the last second is answered without a promise
  app.addHook('onRequest', (request, reply, done) => {
    const permission = request.routeOptions.config.permission;
    if (permission === 'public' || (permission === undefined && !isGuardedUrl(request.url))) {
      return done();
    }
    const token = bearerTokenOf(request);
    if (token === undefined) {
      const cookie = sessionCookieOf(request);
      if (cookie === undefined) {
        sendError(
          reply,
          'UNAUTHENTICATED',
          'Send Authorization: Bearer <token> (see <data>/admin-token) or log in (POST /api/v1/session)',
        );
        return;
      }
      request.sessionCookie = cookie;
      access.sessions
        .authenticate(cookie)
        .then((actor) => admit(request, reply, actor, done), done);
      return;
    }
    const known = access.authenticateIfKnown(token);
    if (known !== undefined) return admit(request, reply, known, done);
    access.authenticate(token).then((actor) => admit(request, reply, actor, done), done);
  });
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
