import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A self-signed certificate for the local target: the client trusts `certPem` as its CA. */
export interface TargetCertificate {
  certFile: string;
  keyFile: string;
  certPem: string;
  keyPem: string;
}

/**
 * Writes a self-signed certificate for 127.0.0.1 and localhost into `dir` with the `openssl`
 * binary. RSA 2048, the key most webhook receivers still present: a full handshake then costs
 * the target one RSA signature, which is what part (c) — a new connection per request — pays.
 */
export function generateTargetCertificate(dir: string): TargetCertificate {
  const certFile = join(dir, 'target-cert.pem');
  const keyFile = join(dir, 'target-key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-days',
      '2',
      '-subj',
      '/CN=hookline-bench-target',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return {
    certFile,
    keyFile,
    certPem: readFileSync(certFile, 'utf8'),
    keyPem: readFileSync(keyFile, 'utf8'),
  };
}
