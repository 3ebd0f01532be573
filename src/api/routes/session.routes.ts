import { stringifySetCookie } from 'cookie';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { loginHintOut, loginIn, sessionOut } from '../../contracts/access.ts';
import { errorOut } from '../../contracts/common.ts';
import { sessionCookieName } from '../../domains/access/index.ts';
import type { ZodApp } from '../create-app.ts';
import { whoAmI } from './whoami.ts';

const tags = ['session'];

/** A cookie the console's script may read: whether to ask for the session at all. */
export const signedInCookieName = 'hookline_signed_in';

/**
 * The session cookie — HttpOnly (no script reads it), SameSite=Strict (no other site sends
 * it), Secure over https — and a readable marker beside it that holds nothing but "1": the
 * console checks the marker instead of probing GET /session (a 401 a browser would log as an
 * error) on every visit before a login.
 */
function sessionCookies(request: FastifyRequest, value: string, maxAgeSeconds: number): string[] {
  const common = {
    path: '/',
    sameSite: 'strict' as const,
    secure: request.protocol === 'https',
    maxAge: maxAgeSeconds,
  };
  return [
    stringifySetCookie({ name: sessionCookieName, value, httpOnly: true, ...common }),
    stringifySetCookie({ name: signedInCookieName, value: value === '' ? '' : '1', ...common }),
  ];
}

export function registerSessionRoutes(app: ZodApp): void {
  const { access } = app.services;

  app.post(
    '/api/v1/session',
    {
      config: { permission: 'public' },
      // a user name and a password: nothing bigger has a reason to arrive here
      bodyLimit: 4 * 1024,
      schema: {
        tags,
        summary:
          'Log in to the console: sets an HttpOnly session cookie; send csrfToken as X-CSRF-Token with changes',
        security: [],
        body: loginIn,
        response: { 200: sessionOut, 400: errorOut, 401: errorOut, 429: errorOut },
      },
    },
    async (request, reply) => {
      const login = await access.sessions.login({
        username: request.body.username,
        password: request.body.password,
        address: request.ip,
        userAgent: request.headers['user-agent'] ?? '',
      });
      const maxAgeSeconds = Math.floor(access.sessions.options.maxAgeMs / 1000);
      reply.header('set-cookie', sessionCookies(request, login.cookieValue, maxAgeSeconds));
      reply.header('cache-control', 'no-store');
      return {
        user: login.user,
        via: 'session' as const,
        role: login.user.role,
        tokenId: null,
        csrfToken: login.csrfToken,
        sessionExpiresAt: login.expiresAt,
      };
    },
  );

  app.get(
    '/api/v1/session/hint',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary:
          "What the login page may say before a login: the first admin's one-time password file, only while it is unused",
        security: [],
        response: { 200: loginHintOut },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return { firstAdmin: await access.users.firstLoginHint() };
    },
  );

  app.get(
    '/api/v1/session',
    {
      config: { permission: 'account:self', beforePasswordChange: true },
      schema: {
        tags,
        summary: 'The current session (or token) and its CSRF token, for a console page reload',
        response: { 200: sessionOut, 401: errorOut },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return whoAmI(access, request);
    },
  );

  app.delete(
    '/api/v1/session',
    {
      config: { permission: 'account:self', beforePasswordChange: true },
      schema: {
        tags,
        summary: 'Log out: the session ends and its cookie is cleared',
        response: { 204: z.null(), 401: errorOut, 403: errorOut },
      },
    },
    async (request, reply) => {
      await access.sessions.logout(request.actor);
      reply.header('set-cookie', sessionCookies(request, '', 0));
      return reply.code(204).send(null);
    },
  );
}
