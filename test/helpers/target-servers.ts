import { once } from 'node:events';
import http, {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import https from 'node:https';
import net, { type AddressInfo, type Server, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

/**
 * Real target servers for outbound tests: each listens on 127.0.0.1 port 0 (loopback only,
 * never a routable address) and is closed by the caller — `target.close()`, or
 * `closeAllTargets()` in an `after` hook. Every request is recorded with its raw body bytes
 * and the TCP connection it came on, so keep-alive is checked server-side.
 */

export interface RecordedRequest {
  method: string;
  /** path and query as sent (`/hooks/a?x=1`) */
  url: string;
  /** Node's parsed headers, names lower-cased */
  headers: IncomingHttpHeaders;
  /** names and values as sent, alternating (case and order kept) */
  rawHeaders: string[];
  body: Buffer;
  /** 1, 2, 3 … per accepted TCP connection of this target */
  connectionId: number;
  /** mutual TLS only: the client certificate's subject (`CN=hookline-client, O=…`) */
  clientCertificateSubject: string | null;
}

export type TargetHandler = (
  request: RecordedRequest,
  response: ServerResponse,
) => void | Promise<void>;

export interface Target {
  /** `http://127.0.0.1:<port>` or `https://…`, no trailing slash */
  readonly origin: string;
  readonly port: number;
  /** every request so far, in arrival order */
  readonly requests: RecordedRequest[];
  /** distinct TCP connections accepted so far */
  readonly connectionCount: number;
  /** resolves once `count` requests arrived; rejects after `timeoutMs` */
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

/** What a TLS target needs of a test PKI (test/helpers/test-certificates.ts makes one). */
export interface TargetPki {
  ca: { certPem: string };
  server: { certPem: string; keyPem: string };
}

const open = new Set<Target>();

/** Closes every target started by this module that is still open. */
export async function closeAllTargets(): Promise<void> {
  await Promise.all([...open].map((target) => target.close()));
}

/** 200 `{"ok":true}`: the answer of a target that accepts everything. */
const acceptAll: TargetHandler = (_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
};

/** A plain HTTP target; `handler` answers after the whole request body has arrived. */
export function startHttpTarget(handler: TargetHandler = acceptAll): Promise<Target> {
  return startRecordingTarget(http.createServer(), 'http', handler);
}

/** An HTTPS target with the PKI's server certificate (SANs 127.0.0.1, ::1, localhost). */
export function startHttpsTarget(options: {
  pki: TargetPki;
  handler?: TargetHandler;
}): Promise<Target> {
  const server = https.createServer({
    cert: options.pki.server.certPem,
    key: options.pki.server.keyPem,
  });
  return startRecordingTarget(server, 'https', options.handler ?? acceptAll);
}

/**
 * An HTTPS target that demands a client certificate issued by the PKI's CA (requestCert +
 * rejectUnauthorized): without one the handshake fails, with one its subject is recorded.
 */
export function startMtlsTarget(options: {
  pki: TargetPki;
  handler?: TargetHandler;
}): Promise<Target> {
  const server = https.createServer({
    cert: options.pki.server.certPem,
    key: options.pki.server.keyPem,
    ca: options.pki.ca.certPem,
    requestCert: true,
    rejectUnauthorized: true,
  });
  return startRecordingTarget(server, 'https', options.handler ?? acceptAll);
}

/** Answers `status` with `headers` and `body` (default: empty) to every request. */
export function startStatusTarget(
  status: number,
  headers: Record<string, string> = {},
  body: string | Buffer = '',
): Promise<Target> {
  return startHttpTarget((_request, response) => {
    response.writeHead(status, headers).end(body);
  });
}

/** Answers 200 only `delayMs` after each request arrived (for headersTimeout / deadlines). */
export function startSlowTarget(delayMs: number): Promise<Target> {
  return startHttpTarget(
    (_request, response) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          response.writeHead(200, { 'content-type': 'text/plain' }).end('late');
          resolve();
        }, delayMs);
        // a client that gave up, or close(), ends the wait early
        response.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      }),
  );
}

/**
 * Sends 200 headers at once, then one byte every `intervalMs`, never ending: a silence
 * timeout (bodyTimeout) never fires, only a whole-exchange deadline stops it.
 */
export function startDripTarget(intervalMs: number): Promise<Target> {
  return startHttpTarget(
    (_request, response) =>
      new Promise<void>((resolve) => {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.flushHeaders();
        const timer = setInterval(() => response.write('.'), intervalMs);
        response.once('close', () => {
          clearInterval(timer);
          resolve();
        });
      }),
  );
}

/**
 * Reads each request's head, then resets the TCP connection (RST): `mid-answer` (default)
 * after sending a status line, headers and 3 of 100 announced body bytes; `before-answer`
 * without a byte. The client sees ECONNRESET either way (CONNECTION_RESET).
 */
export function startResetTarget(
  options: { when?: 'mid-answer' | 'before-answer' } = {},
): Promise<Target> {
  const when = options.when ?? 'mid-answer';
  return startRawTarget((socket, record) => {
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.off('data', onData);
      record(head.subarray(0, end).toString('latin1'));
      if (when === 'before-answer') {
        socket.resetAndDestroy();
        return;
      }
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nabc', () =>
        socket.resetAndDestroy(),
      );
    };
    socket.on('data', onData);
  });
}

/**
 * Accepts TCP connections and never sends a byte. An https:// URL against it stalls in the
 * TLS handshake, which undici's connectTimeout covers (core/connect.js waits for
 * `secureConnect`): the loopback-only way to a CONNECT_TIMEOUT. An http:// URL gets no
 * answer (headersTimeout, REQUEST_TIMEOUT).
 */
export function startSilentTarget(): Promise<Target> {
  return startRawTarget(() => undefined);
}

/** A port on 127.0.0.1 where nothing listens (bound, then closed): connecting is refused. */
export async function refusedPort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// --- building blocks

interface Tracker {
  requests: RecordedRequest[];
  sockets: Set<Socket>;
  /** by `address|port` of the client: the TCP socket and the TLS socket over it share it */
  connectionIds: Map<string, number>;
  connectionCount: number;
  waiters: Array<() => void>;
}

function createTracker(): Tracker {
  return {
    requests: [],
    sockets: new Set(),
    connectionIds: new Map(),
    connectionCount: 0,
    waiters: [],
  };
}

function trackConnections(server: Server, tracker: Tracker): void {
  server.on('connection', (socket: Socket) => {
    tracker.connectionCount += 1;
    tracker.connectionIds.set(peerKey(socket), tracker.connectionCount);
    tracker.sockets.add(socket);
    socket.once('close', () => tracker.sockets.delete(socket));
  });
}

function pushRequest(tracker: Tracker, request: RecordedRequest): void {
  tracker.requests.push(request);
  for (const wake of tracker.waiters.splice(0)) wake();
}

async function listen(
  server: Server,
  protocol: 'http' | 'https',
  tracker: Tracker,
): Promise<Target> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  const target: Target = {
    origin: `${protocol}://127.0.0.1:${port}`,
    port,
    requests: tracker.requests,
    get connectionCount() {
      return tracker.connectionCount;
    },
    async waitForRequests(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      // woken on every request; bounded by the deadline
      while (tracker.requests.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new Error(
            `${target.origin} got ${tracker.requests.length} of ${count} requests within ${timeoutMs} ms`,
          );
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          tracker.waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return tracker.requests.slice(0, count);
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        open.delete(target);
        server.close(() => resolve());
        // the raw TCP sockets: destroying them also ends the TLS sockets over them
        for (const socket of tracker.sockets) socket.destroy();
      });
      return closing;
    },
  };
  open.add(target);
  return target;
}

async function startRecordingTarget(
  server: http.Server,
  protocol: 'http' | 'https',
  handler: TargetHandler,
): Promise<Target> {
  const tracker = createTracker();
  trackConnections(server, tracker);
  server.on('request', (incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.once('end', () => {
      const request: RecordedRequest = {
        method: incoming.method ?? '',
        url: incoming.url ?? '',
        headers: incoming.headers,
        rawHeaders: incoming.rawHeaders,
        body: Buffer.concat(chunks),
        connectionId: connectionIdOf(incoming.socket, tracker),
        clientCertificateSubject: clientSubjectOf(incoming.socket),
      };
      pushRequest(tracker, request);
      Promise.resolve(handler(request, response)).catch((error: unknown) => {
        // a broken handler answers 599 so the test fails on the status, not on a hang
        if (!response.headersSent) response.writeHead(599).end(String(error));
        else response.destroy();
      });
    });
  });
  return listen(server, protocol, tracker);
}

/** A TCP-level target; `onSocket` gets `record(head)` to log the request head it read. */
async function startRawTarget(
  onSocket: (socket: Socket, record: (head: string) => void) => void,
): Promise<Target> {
  const tracker = createTracker();
  const server = net.createServer();
  trackConnections(server, tracker);
  server.on('connection', (socket) => {
    socket.on('error', () => undefined);
    onSocket(socket, (head) => {
      const [requestLine = '', ...headerLines] = head.split('\r\n');
      const [method = '', url = ''] = requestLine.split(' ');
      const rawHeaders = headerLines.flatMap((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon), line.slice(colon + 1).trim()];
      });
      const headers: IncomingHttpHeaders = {};
      for (let i = 0; i < rawHeaders.length; i += 2) {
        headers[(rawHeaders[i] as string).toLowerCase()] = rawHeaders[i + 1];
      }
      pushRequest(tracker, {
        method,
        url,
        headers,
        rawHeaders,
        body: Buffer.alloc(0),
        connectionId: connectionIdOf(socket, tracker),
        clientCertificateSubject: null,
      });
    });
  });
  return listen(server, 'http', tracker);
}

const peerKey = (socket: Socket) => `${socket.remoteAddress}|${socket.remotePort}`;

function connectionIdOf(socket: Socket, tracker: Tracker): number {
  return tracker.connectionIds.get(peerKey(socket)) ?? 0;
}

function clientSubjectOf(socket: Socket): string | null {
  const tlsSocket = socket as TLSSocket;
  if (typeof tlsSocket.getPeerCertificate !== 'function') return null;
  const subject = tlsSocket.getPeerCertificate()?.subject as
    Record<string, string | string[]> | undefined;
  if (!subject || Object.keys(subject).length === 0) return null;
  return Object.entries(subject)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ');
}
