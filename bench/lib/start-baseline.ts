import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { bodyLimitBytes } from '../../src/api/create-app.ts';
import type { BenchTarget } from './start-hookline.ts';

interface StoredItem {
  id: string;
  name: string;
  nameKey: string;
  environments: Record<string, unknown>;
  [key: string]: unknown;
}

interface ListQuery {
  limit?: string;
  cursor?: string;
  q?: string;
  environment?: string;
}

/** Index of the first item whose (nameKey, id) comes after the cursor's. */
function firstAfter(sorted: readonly StoredItem[], nameKey: string, id: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const item = sorted[middle]!;
    const before = item.nameKey < nameKey || (item.nameKey === nameKey && item.id <= id);
    if (before) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The baseline: the same routes, the same JSON in and out, over the same HTTP stack (Fastify
 * on 127.0.0.1:0), but no Hookline logic — no schema validation, no token lookup, no store,
 * no audit record, no revision. An object is kept in memory and echoed back; a list is a
 * slice of a sorted array. Hookline's time divided by this one is Hookline's own cost.
 */
export async function startBaseline(): Promise<BenchTarget> {
  const byId = new Map<string, StoredItem>();
  const byName = new Map<string, StoredItem>();
  let sorted: StoredItem[] = [];
  let sortedIsStale = false;
  const inOrder = () => {
    if (sortedIsStale) {
      sorted = [...byId.values()].sort((a, b) =>
        a.nameKey === b.nameKey ? (a.id < b.id ? -1 : 1) : a.nameKey < b.nameKey ? -1 : 1,
      );
      sortedIsStale = false;
    }
    return sorted;
  };

  const app = Fastify({ logger: false, bodyLimit: bodyLimitBytes });

  app.post<{ Body: Record<string, unknown> & { name: string } }>(
    '/api/v1/connections',
    async (request, reply) => {
      const now = new Date().toISOString();
      const item: StoredItem = {
        ...request.body,
        environments: request.body.environments as Record<string, unknown>,
        id: `con_${randomUUID()}`,
        name: request.body.name,
        nameKey: request.body.name.toLowerCase(),
        revision: 1,
        createdAt: now,
        updatedAt: now,
      };
      byId.set(item.id, item);
      byName.set(item.nameKey, item);
      sortedIsStale = true;
      return reply.code(201).header('location', `/api/v1/connections/${item.id}`).send(item);
    },
  );

  app.get<{ Params: { id: string } }>('/api/v1/connections/:id', async (request, reply) => {
    const item = byId.get(request.params.id) ?? byName.get(request.params.id.toLowerCase());
    if (!item) return reply.code(404).send({ error: { code: 'NOT_FOUND' } });
    return item;
  });

  app.get<{ Querystring: ListQuery }>('/api/v1/connections', async (request) => {
    const limit = Number(request.query.limit ?? 50);
    const all = inOrder();
    let start = 0;
    if (request.query.cursor) {
      const [nameKey, id] = JSON.parse(Buffer.from(request.query.cursor, 'base64url').toString());
      start = firstAfter(all, nameKey, id);
    }
    const q = request.query.q?.toLowerCase();
    const environment = request.query.environment;
    const items: StoredItem[] = [];
    for (let i = start; i < all.length && items.length <= limit; i++) {
      const item = all[i]!;
      if (q !== undefined && !item.nameKey.includes(q)) continue;
      if (environment !== undefined && !(environment in item.environments)) continue;
      items.push(item);
    }
    const page = items.slice(0, limit);
    const last = page.at(-1);
    const next =
      items.length > limit && last
        ? Buffer.from(JSON.stringify([last.nameKey, last.id])).toString('base64url')
        : null;
    return { items: page, next };
  });

  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    token: 'baseline-ignores-it',
    close: () => app.close(),
  };
}
