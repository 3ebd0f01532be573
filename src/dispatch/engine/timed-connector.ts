import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction, Socket } from 'node:net';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { buildConnector, errors } from 'undici';

/** Phases of setting up one connection, in ms; null when the phase did not happen (an IP
 * literal needs no DNS, plain http no TLS) or did not finish. */
export interface ConnectTimings {
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
}

/** What Test Connection shows of the target's certificate. */
export interface TlsPeerSummary {
  subject: string | null;
  issuer: string | null;
  subjectAltName: string | null;
  validFrom: string | null;
  validTo: string | null;
  fingerprint256: string | null;
  protocol: string | null;
  cipher: string | null;
  authorized: boolean;
  authorizationError: string | null;
}

export interface ConnectRecord {
  timings: ConnectTimings;
  tlsPeer: TlsPeerSummary | null;
}

export type ConnectorOptions = buildConnector.BuildOptions & { lookup?: LookupFunction };

/**
 * undici's own connector (so TLS options and session reuse behave exactly as undici's), with
 * two additions. Its own connect deadline: undici's connectTimeout runs on coarse internal
 * timers and fires 0.5–1 s late, so a stalled connect would otherwise be ended by the
 * request deadline and classified as a request timeout that may have reached the target.
 * And, when `record` is given (Test Connection, on a fresh connection), the DNS, TCP and TLS
 * phases timed and the peer certificate kept.
 */
export function createConnector(
  options: ConnectorOptions,
  connectTimeoutMs: number,
  record?: ConnectRecord,
): buildConnector.connector {
  const lookup = options.lookup ?? (dnsLookup as LookupFunction);
  const timedLookup: LookupFunction = record
    ? (hostname, lookupOptions, callback) => {
        const startedAt = performance.now();
        lookup(hostname, lookupOptions, (...args: Parameters<typeof callback>) => {
          record.timings.dnsMs = performance.now() - startedAt;
          (callback as (...a: unknown[]) => void)(...args);
        });
      }
    : lookup;
  // undici's timer stays as a backstop, after ours
  const connect = buildConnector({
    ...options,
    lookup: timedLookup,
    timeout: connectTimeoutMs + 1000,
  });

  return (connectOptions, callback) => {
    const startedAt = performance.now();
    const socket = (connect as (...a: unknown[]) => unknown)(connectOptions, callback) as Socket;
    const secure = connectOptions.protocol === 'https:';
    const timer = setTimeout(() => {
      socket.destroy(
        new errors.ConnectTimeoutError(
          `no connection${secure ? ' and TLS handshake' : ''} within ${connectTimeoutMs} ms`,
        ),
      );
    }, connectTimeoutMs);
    socket.once(secure ? 'secureConnect' : 'connect', () => clearTimeout(timer));
    socket.once('close', () => clearTimeout(timer));
    if (!record) return;

    let tcpAt: number | undefined;
    socket.once('connect', () => {
      tcpAt = performance.now();
      record.timings.connectMs = tcpAt - startedAt - (record.timings.dnsMs ?? 0);
    });
    if (secure) {
      const tlsSocket = socket as TLSSocket;
      tlsSocket.once('secureConnect', () => {
        if (tcpAt !== undefined) record.timings.tlsMs = performance.now() - tcpAt;
        record.tlsPeer = summarizePeer(tlsSocket);
      });
      // a refused certificate: keep what the peer showed, it is the user's best clue
      tlsSocket.once('error', () => {
        record.tlsPeer ??= summarizePeer(tlsSocket);
      });
    }
  };
}

function summarizePeer(socket: TLSSocket): TlsPeerSummary | null {
  let certificate: PeerCertificate | undefined;
  try {
    // null once the socket is destroyed (a refused handshake)
    certificate = socket.getPeerCertificate() ?? undefined;
  } catch {
    certificate = undefined;
  }
  const hasCertificate = certificate !== undefined && Object.keys(certificate).length > 0;
  if (!hasCertificate && !socket.authorized && !socket.authorizationError) return null;
  return {
    subject: hasCertificate ? formatName(certificate?.subject) : null,
    issuer: hasCertificate ? formatName(certificate?.issuer) : null,
    subjectAltName: certificate?.subjectaltname ?? null,
    validFrom: toIso(certificate?.valid_from),
    validTo: toIso(certificate?.valid_to),
    fingerprint256: certificate?.fingerprint256 ?? null,
    protocol: socket.getProtocol?.() ?? null,
    cipher: socket.getCipher?.()?.name ?? null,
    authorized: socket.authorized,
    authorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
  };
}

function formatName(name: object | undefined): string | null {
  if (!name) return null;
  const parts = Object.entries(name as Record<string, string | string[]>).map(
    ([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`,
  );
  return parts.length > 0 ? parts.join(', ') : null;
}

function toIso(date: string | undefined): string | null {
  if (!date) return null;
  const parsed = new Date(date);
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString();
}
