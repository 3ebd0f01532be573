import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build:console` (vite) writes the console. */
export const defaultConsoleDir = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

/** Paths the console does not own: an unknown one of these is the API's JSON 404. */
function isServerPath(path: string): boolean {
  return (
    path.startsWith('/api/') ||
    path === '/api' ||
    path.startsWith('/docs') ||
    path === '/metrics' ||
    path === '/healthz' ||
    path === '/openapi.json'
  );
}

const notBuiltPage = `<!doctype html><meta charset="utf-8"><title>Hookline</title>
<p>The web console is not built. Run <code>npm run build:console</code> (or start with
<code>npm start</code>, which builds it when needed), then reload. The API is at
<a href="/docs">/docs</a>.</p>`;

/**
 * The web console (issue "web console"): its built files from `dir` (hashed assets cached for a
 * year; gzip/brotli twins served to clients that take them), and its index page for every
 * other GET the server has no route for, so /connections/42/edit loads the app, which routes
 * in the browser. Answers the not-found fallback for registerErrorHandling.
 */
export async function registerConsole(
  app: FastifyInstance,
  dir: string = defaultConsoleDir,
): Promise<(request: FastifyRequest, reply: FastifyReply) => boolean> {
  const indexFile = join(dir, 'index.html');
  const built = existsSync(indexFile);
  const indexPage = built ? readFileSync(indexFile) : Buffer.from(notBuiltPage);
  if (built) {
    await app.register(fastifyStatic, {
      root: dir,
      prefix: '/',
      // one route per built file, found now: no wildcard to compete with the API's routes
      wildcard: false,
      index: false,
      preCompressed: true,
      // @fastify/swagger-ui registers this plugin too
      decorateReply: false,
      cacheControl: false,
      setHeaders(reply, path) {
        reply.header(
          'cache-control',
          path.includes(`${join(dir, 'assets')}`)
            ? 'public, max-age=31536000, immutable'
            : 'no-cache',
        );
      },
    });
  }
  return (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const path = request.url.split('?')[0] ?? '';
    if (isServerPath(path)) return false;
    // asset requests that missed (an old hash after a deploy) stay 404s, not an HTML page
    if (path.startsWith('/assets/')) return false;
    void reply
      .code(built ? 200 : 503)
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(indexPage);
    return true;
  };
}
