/**
 * Secrets: write-only values referenced as `{{secret.NAME}}`. A secret is stored encrypted
 * (AES-256-GCM under the master key, its name as associated data), or read at call time from
 * an environment variable or a file of the Hookline process. No answer, log line, error or
 * audit record ever holds a value: the API shows where a value comes from, never what it is.
 */
export {
  /**
   * Creates the secret service: list, get, status, create, rotate (PUT), patch (description),
   * usages, remove (refused with SECRET_IN_USE while used); for the dispatch engine
   * resolveSecret/resolveSecretDetailed, onChange, changeVersion, invalidate,
   * checkSources/watchSources; checkMasterKey for start-up.
   */
  createSecretService,
  type SecretService,
  type SecretServiceDeps,
} from './secret.service.ts';
export {
  /** Listeners and a version counter for values the dispatch engine caches. */
  createChangeFeed,
  type ChangeFeed,
  type ChangeListener,
  type RuntimeValueChange,
} from './change-feed.ts';
export {
  /** The master key: from HOOKLINE_MASTER_KEY, else `<data>/master-key` (created 0600). */
  loadMasterKey,
  /** Reads 64 hex characters or base64 of 32 bytes; the error never repeats the text. */
  parseMasterKey,
  /** First 8 hex of the key's SHA-256: names a key without revealing it. */
  masterKeyIdOf,
  /** A random key for one process (tests, benchmarks). */
  createEphemeralMasterKey,
  MasterKeyError,
  masterKeyFileName,
  type LoadedMasterKey,
} from './master-key.ts';
export { defaultSourceCheckIntervalMs } from './secret-resolver.ts';
