import { readFileSync } from 'node:fs';

/** Hookline's version (package.json): what `hookline --version` prints and exports record. */
export const hooklineVersion: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
