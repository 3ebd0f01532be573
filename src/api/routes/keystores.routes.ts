import { z } from 'zod';
import { errorOut, listOf } from '../../contracts/common.ts';
import {
  keyStoreIn,
  keyStoreListQuery,
  keyStoreOut,
  keyStoreReplace,
} from '../../contracts/keystores.ts';
import { usageOut } from '../../contracts/usages.ts';
import type { ZodApp } from '../create-app.ts';

const tags = ['keystores'];
const params = z.object({
  id: z.string().min(1).max(200).describe('the key store id or its name'),
});

/**
 * Key stores: client certificate + private key for mutual TLS, by name in `tls.keyStore`.
 * The key goes in once and never comes out: answers show the certificate and
 * `hasPrivateKey: true`.
 */
export function registerKeyStoreRoutes(app: ZodApp): void {
  const { keyStores } = app.services;

  app.get(
    '/api/v1/keystores',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary: 'List key stores in name order (certificates only, never keys)',
        querystring: keyStoreListQuery,
        response: { 200: listOf(keyStoreOut), 400: errorOut },
      },
    },
    async (request) => keyStores.list(request.query),
  );

  app.post(
    '/api/v1/keystores',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary:
          'Add a client certificate and its key: PEM, or PKCS#12 with a {{secret.NAME}} passphrase; checked to belong together',
        body: keyStoreIn,
        response: { 201: keyStoreOut, 400: errorOut, 409: errorOut },
      },
    },
    async (request, reply) => {
      const created = await keyStores.create(request.body, request.actor);
      return reply
        .code(201)
        .header('location', `/api/v1/keystores/${encodeURIComponent(created.name)}`)
        .send(created);
    },
  );

  app.get(
    '/api/v1/keystores/:id',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary: 'Get a key store by id or name (its certificate; never the key)',
        params,
        response: { 200: keyStoreOut, 404: errorOut },
      },
    },
    async (request) => keyStores.get(request.params.id),
  );

  app.get(
    '/api/v1/keystores/:id/usages',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary: 'Connections whose tls.keyStore names this key store, per environment',
        params,
        response: { 200: listOf(usageOut), 404: errorOut },
      },
    },
    // one page: every connection that uses it (bounded by the connections themselves)
    async (request) => ({ items: await keyStores.usages(request.params.id), next: null }),
  );

  app.put(
    '/api/v1/keystores/:id',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary: 'Replace the certificate and key of a key store (a renewal); the name stays',
        params,
        body: keyStoreReplace,
        response: { 200: keyStoreOut, 400: errorOut, 404: errorOut },
      },
    },
    async (request) => keyStores.replace(request.params.id, request.body, request.actor),
  );

  app.delete(
    '/api/v1/keystores/:id',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary: 'Delete a key store; refused with KEY_STORE_IN_USE while connections name it',
        params,
        response: { 204: z.undefined(), 404: errorOut, 409: errorOut },
      },
    },
    async (request, reply) => {
      await keyStores.remove(request.params.id, request.actor);
      return reply.code(204).send();
    },
  );
}
