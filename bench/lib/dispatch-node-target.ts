import { fork } from 'node:child_process';
import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { TargetCertificate } from './dispatch-certificate.ts';
import type { LocalTarget } from './dispatch-target.ts';

interface Ports {
  httpPort: number;
  httpsPort: number;
}

/**
 * The fallback target when nginx is not installed: Node's http and https servers in a child
 * process. It saturates its one core before the client does, so ratios against it understate
 * the client's cost; the report says which target ran.
 */
export async function startNodeTarget(options: {
  certificate: TargetCertificate;
}): Promise<LocalTarget> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exit = once(child, 'exit');
  child.send({ certPem: options.certificate.certPem, keyPem: options.certificate.keyPem });
  const [ports] = (await Promise.race([
    once(child, 'message'),
    exit.then(() => {
      throw new Error('the Node target exited before listening');
    }),
  ])) as [Ports];

  let closing: Promise<void> | null = null;
  return {
    kind: 'node',
    description: `Node ${process.version} http/https servers in a child process (not nginx: this target saturates before the client does and hides client cost)`,
    httpOrigin: `http://127.0.0.1:${ports.httpPort}`,
    httpsOrigin: `https://127.0.0.1:${ports.httpsPort}`,
    caPem: options.certificate.certPem,
    close() {
      closing ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        await exit;
      })();
      return closing;
    },
    killNow() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}

function answer(request: IncomingMessage, response: ServerResponse): void {
  // drain the body first: an answer before the body is read would stall keep-alive
  request.resume();
  request.once('end', () => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': 11 });
    response.end('{"ok":true}');
  });
}

async function listen(server: http.Server | https.Server): Promise<number> {
  server.keepAliveTimeout = 75_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) {
  const send = process.send.bind(process);
  process.once('message', async (input: { certPem: string; keyPem: string }) => {
    const httpPort = await listen(http.createServer(answer));
    const httpsPort = await listen(
      https.createServer({ cert: input.certPem, key: input.keyPem }, answer),
    );
    send({ httpPort, httpsPort } satisfies Ports);
  });
  // the parent going away (even killed) must not leave the target running
  process.once('disconnect', () => process.exit(0));
}
