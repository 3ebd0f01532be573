import { create as contentDisposition } from 'content-disposition';
import { z } from 'zod';
import { errorOut } from '../../contracts/common.ts';
import { connectionRefQuery } from '../../contracts/connections.ts';
import { exportBundleQuery, exportMediaType } from '../../contracts/exports.ts';
import type { ZodApp } from '../create-app.ts';

const params = z.object({
  id: z.string().min(1).max(200).describe('the connection id or its name'),
});

export function registerConnectionExportRoutes(app: ZodApp): void {
  const { connectionExports } = app.services;

  app.get(
    '/api/v1/connections/:id/export',
    {
      config: { permission: 'config:read' },
      // a HEAD would build an archive and write an audit record for nothing
      exposeHeadRoute: false,
      schema: {
        operationId: 'connections.export',
        tags: ['connections'],
        summary: 'Export a connection as a zip archive with its metadata and dependencies',
        description:
          'A download named `<D Mon YYYY>-connection-<Name>-export.zip` (the day in UTC): `connection.json` (as GET /connections/{id} answers it), `metadata.json` (format version, exporter, time, who, the SHA-256 of every other file) and `dependencies/` (certificates, key stores\u2019 public certificate chains, the names of the secrets and the variables its templates use). Secret values, private keys, PKCS#12 files and passphrases are never in it. Every export writes a `connection.export` audit record. Format: docs/reference/export-format.md.',
        params,
        querystring: connectionRefQuery,
        response: {
          200: {
            description: 'The zip archive',
            content: { [exportMediaType]: { schema: z.string().meta({ format: 'binary' }) } },
          },
          404: errorOut,
          409: errorOut,
        },
      },
    },
    async (request, reply) => {
      const exported = await connectionExports.exportConnection(
        request.params.id,
        request.actor,
        request.query,
      );
      return (
        reply
          .type(exportMediaType)
          // filename="…" as the product names it; filename* (RFC 8187) too, should a name
          // ever hold more than ASCII
          .header('content-disposition', contentDisposition(exported.fileName))
          .header('cache-control', 'no-store')
          // a Buffer is sent as it is: no serializer runs
          .send(exported.archive as unknown as string)
      );
    },
  );

  // a GET, as the single export: viewers may export (a POST is a change, which they may not
  // make), and the console downloads it with a plain link, never holding the zip in the page
  app.get(
    '/api/v1/exports',
    {
      config: { permission: 'config:read' },
      exposeHeadRoute: false,
      schema: {
        operationId: 'exports.connections',
        tags: ['connections'],
        summary: 'Export several connections as one zip archive',
        description:
          'A download named `<D Mon YYYY>-connections-<count>-export.zip` (the day in UTC) holding `metadata.json` (format version, `kind: "connections"`, exporter, time, who, and per connection its id, name, project, revision, path, size and SHA-256) and each connection\u2019s own archive, exactly as GET /connections/{id}/export gives it, at `<project or global>/<D Mon YYYY>-connection-<Name>-export.zip`. At most 200 connections per archive. Any connection not found refuses the whole export (404 naming it). Each connection exported writes its `connection.export` audit record. Format: docs/reference/export-format.md.',
        querystring: exportBundleQuery,
        response: {
          200: {
            description: 'The zip archive',
            content: { [exportMediaType]: { schema: z.string().meta({ format: 'binary' }) } },
          },
          400: errorOut,
          404: errorOut,
          409: errorOut,
        },
      },
    },
    async (request, reply) => {
      const exported = await connectionExports.exportConnections(request.query, request.actor);
      return reply
        .type(exportMediaType)
        .header('content-disposition', contentDisposition(exported.fileName))
        .header('cache-control', 'no-store')
        .send(exported.archive as unknown as string);
    },
  );
}
