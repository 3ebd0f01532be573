import { readFileSync } from 'node:fs';
import { UsageError } from './context.ts';

/** A local file (or stdin for `-`) as text; unreadable is a usage error. */
export function readTextFile(file: string): string {
  return readLocal(file, (source) => readFileSync(source, 'utf8'));
}

/** A local file (or stdin for `-`) as bytes; unreadable is a usage error. */
export function readBinaryFile(file: string): Buffer {
  return readLocal(file, (source) => readFileSync(source));
}

function readLocal<T>(file: string, read: (source: string | 0) => T): T {
  try {
    return read(file === '-' ? 0 : file);
  } catch (error) {
    throw new UsageError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
}
