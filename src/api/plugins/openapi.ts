import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { tidyComponents, type OpenApiDocument } from './openapi-components.ts';
import {
  completeOperations,
  openApiPathOf,
  operationKey,
  routeFactsOf,
  type RouteFacts,
} from './openapi-operations.ts';

export const apiVersion = '0.1.0';

/**
 * The OpenAPI document, generated from the same zod schemas that validate requests, then
 * completed from what each route declares (openapi-operations.ts) and with its components
 * named for clients (openapi-components.ts). test/contract/ lints it with Redocly and compiles
 * a program against a client generated from it.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  // filled as @fastify/swagger transforms each route, read when it finishes the document
  const facts = new Map<string, RouteFacts>();
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Hookline API',
        version: apiVersion,
        description:
          'Manage environments, projects and webhook connections. Every /api/v1 call needs `Authorization: Bearer <token>`. Errors answer `{"error": {"code", "message", "details"}}`.',
        // keep in step with package.json
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      // the server that serves this document: relative, so it holds behind any host or proxy
      servers: [{ url: '/', description: 'this Hookline server' }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: (input) => {
      const methods = [input.route.method].flat();
      for (const method of methods) {
        facts.set(operationKey(method, openApiPathOf(input.url)), routeFactsOf(input.route));
      }
      return jsonSchemaTransform(input);
    },
    transformObject: (input) => {
      const document = jsonSchemaTransformObject(input) as OpenApiDocument;
      completeOperations(document, facts);
      tidyComponents(document);
      return document as ReturnType<typeof jsonSchemaTransformObject>;
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
