import { sql } from 'kysely';
import { z } from 'zod';
import type { ZodApp } from '../create-app.ts';

const healthOut = z.object({
  status: z.enum(['ok', 'degraded']),
  store: z.enum(['ok', 'unreachable']),
});

export function registerHealthRoutes(app: ZodApp): void {
  app.get(
    '/healthz',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['health'],
        summary: 'Liveness and store reachability',
        security: [],
        response: { 200: healthOut, 503: healthOut },
      },
    },
    async (_request, reply) => {
      try {
        await sql`SELECT 1`.execute(app.services.store.db);
        return { status: 'ok' as const, store: 'ok' as const };
      } catch {
        return reply.code(503).send({ status: 'degraded', store: 'unreachable' });
      }
    },
  );

  app.get('/openapi.json', { config: { permission: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
}
