import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** AES-256: 32 bytes. */
export const masterKeyBytes = 32;
export const masterKeyFileName = 'master-key';

/** The master key is missing, malformed or unprotected: start-up stops with this message. */
export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}

/**
 * Reads a master key written as 64 hex characters or as base64/base64url of 32 bytes (what
 * `openssl rand -hex 32` and `openssl rand -base64 32` print). `where` names the source in the
 * error; the text itself is never repeated. Keep in step with config/config.schema.ts.
 */
export function parseMasterKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(trimmed) || /^[A-Za-z0-9_-]{43}=?$/.test(trimmed)) {
    const key = Buffer.from(
      trimmed,
      trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64',
    );
    if (key.length === masterKeyBytes) return key;
  }
  throw new MasterKeyError(
    `${where} is not a master key: use 32 random bytes written as 64 hex characters or as base64 (e.g. \`openssl rand -hex 32\`)`,
  );
}

/**
 * Names a key without revealing it: the first 8 hex characters of its SHA-256. Stored with
 * every ciphertext, so a different key is reported as such instead of failing as tampering.
 */
export function masterKeyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** A key for one process only (tests, benchmarks): secrets stored with it die with it. */
export function createEphemeralMasterKey(): Buffer {
  return randomBytes(masterKeyBytes);
}

export interface LoadedMasterKey {
  key: Buffer;
  keyId: string;
  /** configuration: HOOKLINE_MASTER_KEY (or `masterKey` in the settings file) */
  source: 'configuration' | 'file';
  /** the key file, when the key lives in one */
  file?: string;
  /** the key file was created now */
  created: boolean;
  /** things the operator should fix; never the key */
  warnings: string[];
}

/**
 * The master key: from the configuration when set, else from `<dataDir>/master-key`, created
 * with 32 random bytes and mode 0600 on first start.
 *
 * Permissions of an existing key file (POSIX only): like ssh with a private key, a file that
 * others may read or write, or that its group may write, is refused — whoever reads it reads
 * every stored secret. A group-readable file (0640: a deployment that shares a group with a
 * backup agent) starts with a warning.
 */
export function loadMasterKey(options: {
  configured?: string;
  dataDir: string;
  platform?: NodeJS.Platform;
}): LoadedMasterKey {
  if (options.configured !== undefined) {
    const key = parseMasterKey(options.configured, 'HOOKLINE_MASTER_KEY (masterKey)');
    return {
      key,
      keyId: masterKeyIdOf(key),
      source: 'configuration',
      created: false,
      warnings: [],
    };
  }
  const file = join(options.dataDir, masterKeyFileName);
  const warnings: string[] = [];
  let text = readKeyFile(file, options.platform ?? process.platform, warnings);
  let created = false;
  if (text === undefined) {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    const fresh = randomBytes(masterKeyBytes).toString('hex');
    try {
      // wx: two processes starting at once on one data directory keep the first key
      writeFileSync(file, `${fresh}\n`, { mode: 0o600, flag: 'wx' });
      chmodSync(file, 0o600);
      created = true;
      text = fresh;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      text = readKeyFile(file, options.platform ?? process.platform, warnings);
      if (text === undefined) throw error;
    }
  }
  const key = parseMasterKey(text, `the master key file ${file}`);
  return { key, keyId: masterKeyIdOf(key), source: 'file', file, created, warnings };
}

function readKeyFile(
  file: string,
  platform: NodeJS.Platform,
  warnings: string[],
): string | undefined {
  let stats;
  try {
    stats = statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MasterKeyError(
      `cannot read the master key file ${file}: ${(error as Error).message}`,
    );
  }
  if (!stats.isFile())
    throw new MasterKeyError(`the master key file ${file} is not a regular file`);
  if (platform !== 'win32') {
    const mode = stats.mode & 0o777;
    const octal = mode.toString(8).padStart(4, '0');
    if ((mode & 0o007) !== 0 || (mode & 0o020) !== 0) {
      throw new MasterKeyError(
        `the master key file ${file} has mode ${octal}: others may read or change it; run \`chmod 600 ${file}\``,
      );
    }
    if ((mode & 0o040) !== 0) {
      warnings.push(
        `the master key file ${file} has mode ${octal}: its group can read every stored secret; \`chmod 600 ${file}\` unless that is intended`,
      );
    }
  }
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new MasterKeyError(
      `cannot read the master key file ${file}: ${(error as Error).message}`,
    );
  }
}
