import { constants } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { maxSecretValueBytes } from '../../contracts/secrets.ts';

/** A value read from a source, or why there is none. Problems never quote the value. */
export type SourceRead = { value: string } | { problem: string };

/**
 * Where file secrets may not point: the kernel's pseudo-files (`/proc/self/environ` holds
 * HOOKLINE_MASTER_KEY; `/dev/zero` never ends) and Hookline's data directory (the master
 * key, the admin token, the database). Paths are compared after resolving symbolic links.
 */
export interface FileSourcePolicy {
  protectedDirs: readonly string[];
}

const systemDirs = ['/proc', '/sys', '/dev'];

/** An environment variable of this process, read now (so a restart with a new value counts). */
export function readEnvSource(
  env: Record<string, string | undefined>,
  variable: string,
): SourceRead {
  const value = env[variable];
  if (value === undefined) {
    return { problem: `environment variable ${variable} is not set in this Hookline process` };
  }
  if (value === '') return { problem: `environment variable ${variable} is empty` };
  return { value };
}

/** The directory a location must not be in, if any. */
async function protectedDirOf(path: string, policy: FileSourcePolicy): Promise<string | undefined> {
  const dirs = [...systemDirs];
  for (const dir of policy.protectedDirs) {
    dirs.push(resolve(dir));
    dirs.push(await realpath(dir).catch(() => resolve(dir)));
  }
  return dirs.find((dir) => {
    const inside = relative(dir, path);
    return inside === '' || (!inside.startsWith('..') && !isAbsolute(inside));
  });
}

/**
 * Refuses a file location before it is saved: in the data directory or a kernel pseudo-file
 * system, as given or after resolving links (a file that does not exist yet is checked as given).
 */
export async function checkFileLocation(
  path: string,
  policy: FileSourcePolicy,
): Promise<string | undefined> {
  const real = await realpath(path).catch(() => resolve(path));
  const dir = (await protectedDirOf(resolve(path), policy)) ?? (await protectedDirOf(real, policy));
  return dir === undefined
    ? undefined
    : `file secrets cannot be read from ${dir}: it holds Hookline's own keys or kernel files`;
}

/**
 * A file's content, read now: a regular file of at most 64 KiB, one trailing newline removed
 * (`echo token > file` and Kubernetes secret files end with one; the value does not).
 */
export async function readFileSource(path: string, policy: FileSourcePolicy): Promise<SourceRead> {
  let real: string;
  try {
    real = await realpath(path);
  } catch (error) {
    return { problem: describeFileError(path, error) };
  }
  const refused = await checkFileLocation(real, policy);
  if (refused) return { problem: refused };
  let handle;
  try {
    // stat first and O_NONBLOCK: a FIFO or device would block the read forever
    if (!(await stat(real)).isFile()) return { problem: `${path} is not a regular file` };
    handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { problem: describeFileError(path, error) };
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { problem: `${path} is not a regular file` };
    // read one byte past the limit: a file that grew after stat() is still caught
    const buffer = Buffer.alloc(maxSecretValueBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxSecretValueBytes) {
      return { problem: `${path} is larger than ${maxSecretValueBytes} bytes` };
    }
    const value = stripOneNewline(buffer.subarray(0, length).toString('utf8'));
    if (value === '') return { problem: `${path} is empty` };
    return { value };
  } catch (error) {
    return { problem: describeFileError(path, error) };
  } finally {
    await handle.close();
  }
}

export function stripOneNewline(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}

function describeFileError(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `${path} does not exist on this Hookline server`;
  if (code === 'EACCES' || code === 'EPERM')
    return `${path} cannot be read by the Hookline process (${code})`;
  if (code === 'EISDIR') return `${path} is not a regular file`;
  return `${path} cannot be read (${code ?? 'error'})`;
}
