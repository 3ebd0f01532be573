import { createHash } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import type { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import type { ExportedFile } from '../../contracts/exports.ts';

/** One file of an archive: its path inside the zip and its bytes. */
export interface ArchiveFile {
  path: string;
  content: Buffer;
}

/** A value as an archive file: JSON with two-space indents and a final newline (diffable). */
export function jsonFile(path: string, value: unknown): ArchiveFile {
  return { path, content: Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8') };
}

/** Path, size and SHA-256 of each file, for metadata.json. */
export function checksumsOf(files: readonly ArchiveFile[]): ExportedFile[] {
  return files.map((file) => ({
    path: file.path,
    bytes: file.content.length,
    sha256: createHash('sha256').update(file.content).digest('hex'),
  }));
}

/**
 * The zip of `files` in this order, built in memory with yazl (deflate). An export is a few
 * KB of JSON and PEM, so one buffer is simpler than a stream and lets the caller audit the
 * export before a byte is sent. Every entry carries `mtime` (the export's time) and mode 0644,
 * so the same content at the same time gives the same bytes.
 */
export async function buildZip(files: readonly ArchiveFile[], mtime: Date): Promise<Buffer> {
  const zip = new ZipFile();
  const bytes = buffer(zip.outputStream as Readable);
  for (const file of files) {
    zip.addBuffer(file.content, file.path, { mtime, mode: 0o100644, compress: true });
  }
  zip.end();
  return bytes;
}
