import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import type { Command } from 'commander';
import { connectionPath } from '../connection-input.ts';
import { UsageError, type CliContext } from '../context.ts';

interface ExportOptions {
  project?: string;
  output?: string;
  force?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description(
      'download a connection as a zip archive (its configuration, metadata and dependencies; never a secret value or private key) and print where it was written',
    )
    .argument('<connection>', 'connection id or name')
    .option('--project <project>', 'when naming the connection: the project it is in')
    .option(
      '-o, --output <path>',
      "the file to write, or a directory to write it into under the server's name (default: the current directory)",
    )
    .option('--force', 'overwrite the file if it exists')
    .action((connection: string, options: ExportOptions) =>
      exportConnection(ctx, connection, options),
    );
}

/**
 * `hookline export`: writes the archive under the name the server gives it
 * (`13 Nov 2025-connection-Production_Webhook-export.zip`) in the current directory or `-o`,
 * and prints the path. An existing file is kept unless --force (exit 2).
 */
export async function exportConnection(
  ctx: CliContext,
  ref: string,
  options: ExportOptions,
): Promise<void> {
  const force = options.force === true;
  const intoDirectory = options.output === undefined || isDirectoryPath(options.output);
  // a named file that exists is refused before the server builds (and audits) an export
  if (!intoDirectory && !force && existsSync(options.output as string)) {
    throw alreadyExists(options.output as string);
  }
  const answer = await ctx
    .client()
    .download(connectionPath(ref, '/export'), { query: { project: options.project } });
  if (!answer.contentType?.startsWith('application/zip')) {
    throw new Error(
      `the server answered ${answer.contentType ?? 'no content type'}, not a zip archive: is HOOKLINE_URL a Hookline server?`,
    );
  }
  let target = options.output ?? '';
  if (intoDirectory) {
    const directory = options.output ?? '.';
    try {
      mkdirSync(directory, { recursive: true });
    } catch (error) {
      throw cannotWrite(directory, error);
    }
    target = join(options.output ?? '', safeFileName(answer.fileName, ref));
  }
  writeArchive(target, answer.bytes, force);
  ctx.io.print(target);
}

/**
 * The server's file name if it is a plain file name (no directory part, no `..`, no control
 * characters): a name from the network never chooses the directory. Else `<ref>-export.zip`.
 */
export function safeFileName(fromServer: string | undefined, ref: string): string {
  if (
    fromServer !== undefined &&
    fromServer.length <= 255 &&
    !/[/\\\0-\x1f\x7f]/.test(fromServer) &&
    fromServer !== '.' &&
    fromServer !== '..' &&
    basename(fromServer) === fromServer
  ) {
    return fromServer;
  }
  return `${ref.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '_')}-export.zip`;
}

/** `-o` names a directory to write into: one that exists, or a path ending in `/`. */
function isDirectoryPath(output: string): boolean {
  if (output.endsWith('/') || output.endsWith(sep)) return true;
  try {
    return statSync(output).isDirectory();
  } catch {
    return false;
  }
}

function alreadyExists(target: string): UsageError {
  return new UsageError(`${target} exists: add --force to overwrite it`);
}

/**
 * Without `force`, an exclusive create (`wx`): an existing file is never touched, with no
 * window between a check and the write. With `force`, a temporary file beside the target,
 * renamed over it: the old archive is replaced whole or not at all.
 */
function writeArchive(target: string, bytes: Buffer, force: boolean): void {
  if (!force) {
    try {
      writeFileSync(target, bytes, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw alreadyExists(target);
      throw cannotWrite(target, error);
    }
    return;
  }
  const temporary = join(
    dirname(target),
    `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    writeFileSync(temporary, bytes, { flag: 'wx' });
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw cannotWrite(target, error);
  }
}

function cannotWrite(target: string, error: unknown): UsageError {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new UsageError(`cannot write ${target}: ${code}`);
}
