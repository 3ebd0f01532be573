import { once } from 'node:events';
import { createServer, connect } from 'node:net';
import { generateTargetCertificate } from './dispatch-certificate.ts';
import { findNginx, startNginxTarget } from './nginx-target.ts';
import { startNodeTarget } from './dispatch-node-target.ts';

/**
 * The target every dispatch measurement calls: a separate process answering every request
 * (POST included) with 200 `{"ok":true}`, over HTTP and HTTPS on 127.0.0.1.
 */
export interface LocalTarget {
  kind: 'nginx' | 'node';
  /** for the report, e.g. "nginx 1.22.1, 1 worker process" */
  description: string;
  httpOrigin: string;
  httpsOrigin: string;
  /** the target's self-signed certificate: trust it as the CA */
  caPem: string;
  /** stops the target; safe to call twice */
  close(): Promise<void>;
  /** stops the target at once, synchronously (for process 'exit') */
  killNow(): void;
}

/**
 * nginx when it is installed (one worker process: on 2 cores the client needs the other), or
 * else a Node child process — which saturates before the client does and so hides client cost;
 * the report then says so. `forceNode` runs the fallback even where nginx is installed.
 */
export async function startLocalTarget(
  dir: string,
  options: { forceNode?: boolean } = {},
): Promise<LocalTarget> {
  const certificate = generateTargetCertificate(dir);
  const nginx = options.forceNode ? null : findNginx();
  if (nginx) return startNginxTarget({ nginx, dir, certificate });
  return startNodeTarget({ certificate });
}

/** A port on 127.0.0.1 that nothing listens on right now (the OS's choice for port 0). */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

/** Resolves once a TCP connect to `port` succeeds; rejects after `timeoutMs` or on `stop()`. */
export async function waitForPort(
  port: number,
  timeoutMs: number,
  stopped: () => string | null,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const why = stopped();
    if (why) throw new Error(why);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (performance.now() > deadline) {
      throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
