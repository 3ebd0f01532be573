import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const binPath = fileURLToPath(new URL('../../../bin/hookline.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment a spawned hookline sees: this process's, minus every Hookline setting
 * (so a developer's HOOKLINE_* or DATABASE_URL cannot leak into a test), plus `extra`.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('HOOKLINE_') && key !== 'DATABASE_URL') env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * Runs `node bin/hookline.js …args` to completion; stdin is a pipe (never a terminal) that
 * carries `input`, if any, and then ends.
 */
export function runHookline(
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd: string; node?: string; input?: string },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.node ?? process.execPath, [binPath, ...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // a command that exits without reading stdin closes the pipe: EPIPE is not the test's error
    child.stdin.on('error', () => {}).end(options.input);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface ServeProcess {
  child: ChildProcess;
  /** e.g. http://127.0.0.1:41234, read from the ready line */
  url: string;
  port: number;
  readyLine: string;
  /** everything it wrote so far, stdout and stderr */
  output(): string;
  /** sends the signal and answers the exit code */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const defaultReadyTimeoutMs = 15_000;

/** Spawns `hookline serve …args` and waits for its ready line (`listening on http://…`). */
export function startServe(
  args: string[],
  options: {
    env: NodeJS.ProcessEnv;
    cwd: string;
    /** how long the start may take (a busy machine starts slowly) */
    readyTimeoutMs?: number;
  },
): Promise<ServeProcess> {
  const readyTimeoutMs = options.readyTimeoutMs ?? defaultReadyTimeoutMs;
  const child = spawn(process.execPath, [binPath, 'serve', ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hookline serve was not ready within ${readyTimeoutMs} ms:\n${output}`));
    }, readyTimeoutMs);
    const onData = (chunk: string) => {
      output += chunk;
      const line = output.split('\n').find((l) => /listening on http:\/\//.test(l));
      const match = line ? /listening on (http:\/\/[^\s;]+:(\d+))/.exec(line) : null;
      if (!line || !match) return;
      clearTimeout(timer);
      resolve({
        child,
        url: match[1]!,
        port: Number(match[2]),
        readyLine: line,
        output: () => output,
        async stop(signal = 'SIGTERM') {
          if (child.exitCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`hookline serve exited with ${code} before it was ready:\n${output}`));
    });
  });
}
