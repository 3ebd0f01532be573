import { z } from 'zod';
import {
  certificateIn,
  certificateListQuery,
  certificateOut,
  certificateReplace,
} from '../../contracts/certificates.ts';
import { errorOut, listOf } from '../../contracts/common.ts';
import { usageOut } from '../../contracts/usages.ts';
import type { ZodApp } from '../create-app.ts';

const tags = ['certificates'];
const params = z.object({
  id: z.string().min(1).max(200).describe('the certificate id or its name'),
});

/**
 * Certificates: CA certificates (PEM) that connections trust in addition to the public roots,
 * by name in `tls.caCertificates`. Answers carry subject, issuer, SANs, validity and warnings
 * (expired, expiring within 30 days).
 */
export function registerCertificateRoutes(app: ZodApp): void {
  const { certificates } = app.services;

  app.get(
    '/api/v1/certificates',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary: 'List certificates in name order, with expiry warnings',
        querystring: certificateListQuery,
        response: { 200: listOf(certificateOut), 400: errorOut },
      },
    },
    async (request) => certificates.list(request.query),
  );

  app.post(
    '/api/v1/certificates',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary: 'Add CA certificates (PEM, one or more) under a name',
        body: certificateIn,
        response: { 201: certificateOut, 400: errorOut, 409: errorOut },
      },
    },
    async (request, reply) => {
      const created = await certificates.create(request.body, request.actor);
      return reply
        .code(201)
        .header('location', `/api/v1/certificates/${encodeURIComponent(created.name)}`)
        .send(created);
    },
  );

  app.get(
    '/api/v1/certificates/:id',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary: 'Get a certificate by id or name, with its PEM',
        params,
        response: { 200: certificateOut, 404: errorOut },
      },
    },
    async (request) => certificates.get(request.params.id),
  );

  app.get(
    '/api/v1/certificates/:id/usages',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary: 'Connections whose tls.caCertificates name this certificate, per environment',
        params,
        response: { 200: listOf(usageOut), 404: errorOut },
      },
    },
    // one page: every connection that uses it (bounded by the connections themselves)
    async (request) => ({ items: await certificates.usages(request.params.id), next: null }),
  );

  app.put(
    '/api/v1/certificates/:id',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary: 'Replace the PEM of a certificate (e.g. a renewed CA); the name stays',
        params,
        body: certificateReplace,
        response: { 200: certificateOut, 400: errorOut, 404: errorOut },
      },
    },
    async (request) => certificates.replace(request.params.id, request.body, request.actor),
  );

  app.delete(
    '/api/v1/certificates/:id',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary: 'Delete a certificate; refused with CERTIFICATE_IN_USE while connections name it',
        params,
        response: { 204: z.undefined(), 404: errorOut, 409: errorOut },
      },
    },
    async (request, reply) => {
      await certificates.remove(request.params.id, request.actor);
      return reply.code(204).send();
    },
  );
}
