import { Agent, request as httpRequest } from 'node:http';

export interface HttpAnswer {
  status: number;
  text: string;
}

export interface HttpClient {
  /** One JSON request; `body` is sent as JSON when given. Resolves with the whole answer. */
  request(method: string, path: string, body?: unknown): Promise<HttpAnswer>;
  close(): void;
}

/**
 * A keep-alive client over node:http: at most `maxSockets` connections to one origin, reused
 * for every request, so a run measures requests and not TCP handshakes. node:http rather than
 * fetch: less client work per request on a 2-core machine where the client shares the CPU.
 */
export function createHttpClient(options: {
  baseUrl: string;
  maxSockets: number;
  headers?: Record<string, string>;
}): HttpClient {
  const base = new URL(options.baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets });
  const fixedHeaders = { accept: 'application/json', ...options.headers };

  return {
    request(method, path, body) {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers: Record<string, string | number> = { ...fixedHeaders };
      if (payload !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(payload);
      }
      return new Promise<HttpAnswer>((resolve, reject) => {
        const req = httpRequest(
          { agent, host: base.hostname, port: base.port, method, path, headers },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                text: Buffer.concat(chunks).toString('utf8'),
              }),
            );
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}
