import type { FastifyRequest } from 'fastify';
import type { WhoAmI } from '../../contracts/access.ts';
import { csrfTokenFor, type AccessService } from '../../domains/access/index.ts';

/** The caller as `GET /users/me` and `GET /session` show them. */
export async function whoAmI(access: AccessService, request: FastifyRequest): Promise<WhoAmI> {
  const { actor, sessionCookie } = request;
  const user = await access.users.get(actor.id);
  return {
    user,
    via: actor.via === 'session' ? 'session' : 'token',
    role: actor.role,
    tokenId: actor.via === 'token' ? (actor.credentialId ?? null) : null,
    csrfToken: sessionCookie === undefined ? null : csrfTokenFor(sessionCookie),
    sessionExpiresAt:
      sessionCookie === undefined ? null : await access.sessions.expiresAt(sessionCookie),
  };
}
