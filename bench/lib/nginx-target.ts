import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { TargetCertificate } from './dispatch-certificate.ts';
import { findFreePort, waitForPort, type LocalTarget } from './dispatch-target.ts';

/** The nginx binary: on PATH or Debian's /usr/sbin/nginx; null when not installed. */
export function findNginx(): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, 'nginx');
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

function versionOf(nginx: string): string {
  // nginx -v writes "nginx version: nginx/1.22.1" to stderr
  const run = spawnSync(nginx, ['-v'], { encoding: 'utf8' });
  return /nginx\/(\S+)/.exec(`${run.stderr}${run.stdout}`)?.[1] ?? 'unknown';
}

/**
 * nginx.conf for the target. One worker process (the machine has 2 cores and the client
 * needs one); keepalive_requests 1,000,000 so nginx never closes a keep-alive connection
 * during a run (its default, 1,000, would make the pool reconnect every 1,000 requests);
 * `return 200` answers a POST without reading its body into a file.
 */
export function renderNginxConfig(options: {
  dir: string;
  httpPort: number;
  httpsPort: number;
  certificate: TargetCertificate;
}): string {
  const { dir, httpPort, httpsPort, certificate } = options;
  return `worker_processes 1;
worker_rlimit_nofile 8192;
error_log ${join(dir, 'error.log')} warn;
pid ${join(dir, 'nginx.pid')};

events {
  worker_connections 4096;
}

http {
  access_log off;
  client_body_temp_path ${join(dir, 'client-body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  server_tokens off;

  server {
    listen 127.0.0.1:${httpPort};
    listen 127.0.0.1:${httpsPort} ssl;
    ssl_certificate ${certificate.certFile};
    ssl_certificate_key ${certificate.keyFile};

    location / {
      default_type application/json;
      return 200 '{"ok":true}';
    }
  }
}
`;
}

/**
 * Starts nginx in the foreground (`daemon off`) with a generated configuration in `dir`, on
 * two free ports of 127.0.0.1, and waits until both accept connections. Retries once with
 * new ports when one was taken between choosing it and nginx binding it.
 */
export async function startNginxTarget(options: {
  nginx: string;
  dir: string;
  certificate: TargetCertificate;
}): Promise<LocalTarget> {
  try {
    return await startOnce(options);
  } catch (error) {
    if (!/Address already in use/i.test(String(error))) throw error;
    return startOnce(options);
  }
}

async function startOnce(options: {
  nginx: string;
  dir: string;
  certificate: TargetCertificate;
}): Promise<LocalTarget> {
  const { nginx, dir, certificate } = options;
  const httpPort = await findFreePort();
  const httpsPort = await findFreePort();
  const configFile = join(dir, 'nginx.conf');
  writeFileSync(configFile, renderNginxConfig({ dir, httpPort, httpsPort, certificate }));
  const errorLog = join(dir, 'error.log');

  const child = spawn(
    nginx,
    ['-p', `${dir}/`, '-c', configFile, '-e', errorLog, '-g', 'daemon off;'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let exited: string | null = null;
  const exit = once(child, 'exit');
  child.once('exit', (code, signal) => {
    const log = existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : '';
    exited = `nginx exited (${signal ?? code}): ${stderr}${log}`.trim();
  });
  child.once('error', (error) => (exited = `nginx did not start: ${error.message}`));

  let closing: Promise<void> | null = null;
  const target: LocalTarget = {
    kind: 'nginx',
    description: `nginx ${versionOf(nginx)} (${nginx}), 1 worker process, \`return 200\` of an 11-byte JSON body`,
    httpOrigin: `http://127.0.0.1:${httpPort}`,
    httpsOrigin: `https://127.0.0.1:${httpsPort}`,
    caPem: certificate.certPem,
    close() {
      closing ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        // TERM: fast shutdown of the master and its worker; KILL when it hangs past 5 s
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exit;
        clearTimeout(timer);
      })();
      return closing;
    },
    killNow() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };

  try {
    await waitForPort(httpPort, 5_000, () => exited);
    await waitForPort(httpsPort, 5_000, () => exited);
  } catch (error) {
    await target.close();
    throw error;
  }
  return target;
}
