import { createHmac, randomBytes } from 'node:crypto';
import type { Db, Store } from '../../store/create-store.ts';
import { nameKeyOf } from '../../store/name-key.ts';
import type { ChangeFeed } from './change-feed.ts';
import { masterKeyIdOf } from './master-key.ts';
import { openSecret, SecretCipherError } from './secret-cipher.ts';
import {
  readEnvSource,
  readFileSource,
  type FileSourcePolicy,
  type SourceRead,
} from './secret-sources.ts';
import {
  countStoredSecretsByKey,
  findSecretByName,
  listSecrets,
  type SecretRecord,
} from './secret.repo.ts';

export interface SecretResolverDeps {
  store: Store;
  masterKey: Buffer;
  /** what `env` secrets read: the live process.env in the server */
  env: Record<string, string | undefined>;
  policy: FileSourcePolicy;
  feed: ChangeFeed;
}

// Names a running configuration references are few; a bound keeps lookups of made-up names
// (a typo in a template, called in a loop) from growing the cache without end.
const maxCachedRecords = 10_000;
// 30 s: a rotated Kubernetes secret file reaches the pod within about a minute (kubelet sync);
// noticing it within another 30 s keeps the whole rotation near the minute operators expect.
export const defaultSourceCheckIntervalMs = 30_000;

/**
 * Turns a secret name into its value at dispatch time.
 *
 * Cache policy: the secret rows (metadata, and a stored value only sealed) are cached in
 * memory by name, including "no such secret", and dropped on every change this process
 * commits (and on invalidate(), for changes made by another process). A stored value is
 * decrypted on each call (AES-GCM of a few hundred bytes: microseconds); an `env` value is
 * read from the environment and a `file` value from the file on each call. The dispatch
 * engine caches resolved values per deployed target and drops them on onChange; for env and
 * file secrets, whose values change outside Hookline, checkSources() (every 30 s with
 * watchSources) reports a change as `source-changed`.
 */
export function createSecretResolver(deps: SecretResolverDeps) {
  const { store, masterKey, env, policy, feed } = deps;
  const records = new Map<string, SecretRecord | null>();
  // bumped on every drop: a read that began before a change must not cache what it read
  let generation = 0;
  // fingerprints of env/file values, keyed by a per-process random key: never the value
  const fingerprintKey = randomBytes(32);
  const fingerprints = new Map<string, string>();

  async function findRecord(name: string, db?: Db): Promise<SecretRecord | undefined> {
    // read in the caller's transaction (a deploy's rules), past the cache
    if (db) return findSecretByName(db, name);
    const key = nameKeyOf(name);
    const cached = records.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const readIn = generation;
    const found = await findSecretByName(store.db, name);
    if (readIn === generation) {
      if (records.size >= maxCachedRecords) records.clear();
      records.set(key, found ?? null);
    }
    return found;
  }

  async function readRecord(record: SecretRecord): Promise<SourceRead> {
    const { origin } = record;
    if (origin.source === 'env') return readEnvSource(env, origin.envVar);
    if (origin.source === 'file') return readFileSource(origin.filePath, policy);
    try {
      return { value: openSecret(masterKey, record.name, origin.sealed) };
    } catch (error) {
      if (error instanceof SecretCipherError) return { problem: error.message };
      throw error;
    }
  }

  function fingerprintOf(read: SourceRead): string {
    const text = 'value' in read ? `v:${read.value}` : `p:${read.problem}`;
    return createHmac('sha256', fingerprintKey).update(text).digest('base64');
  }

  return {
    /** The value, or why there is none (`no secret named X`, a missing file, another key). */
    async resolveDetailed(name: string, db?: Db): Promise<SourceRead> {
      const record = await findRecord(name, db);
      if (!record) return { problem: `there is no secret named '${name}'` };
      return readRecord(record);
    },

    /** A record's value now (status and warnings of the service). */
    readRecord,

    /** Drops every cached row and tells the listeners (a change made by another process). */
    invalidate(): void {
      generation += 1;
      records.clear();
      feed.emit({ kind: 'secret', name: '*', action: 'invalidate' });
    },

    /** Drops cached rows after a change this process committed (the service emits the change). */
    forget(): void {
      generation += 1;
      records.clear();
    },

    /**
     * Reads every env and file secret and reports those whose value (or problem) differs from
     * the last check as `source-changed`; the first check only remembers. Answers the names.
     */
    async checkSources(): Promise<string[]> {
      const changed: string[] = [];
      const seen = new Set<string>();
      let afterNameKey: string | undefined;
      for (;;) {
        const page = await listSecrets(store.db, { afterNameKey, limit: 500 });
        for (const record of page) {
          if (record.origin.source === 'stored') continue;
          const key = nameKeyOf(record.name);
          seen.add(key);
          const fingerprint = fingerprintOf(await readRecord(record));
          const before = fingerprints.get(key);
          fingerprints.set(key, fingerprint);
          if (before !== undefined && before !== fingerprint) changed.push(record.name);
        }
        if (page.length < 500) break;
        afterNameKey = nameKeyOf(page.at(-1)?.name ?? '');
      }
      for (const key of fingerprints.keys()) if (!seen.has(key)) fingerprints.delete(key);
      for (const name of changed) feed.emit({ kind: 'secret', name, action: 'source-changed' });
      return changed;
    },

    /** Which master key this process uses, and how many stored secrets another key sealed. */
    async checkMasterKey(): Promise<{
      keyId: string;
      storedSecrets: number;
      otherKeys: Array<{ keyId: string; count: number }>;
    }> {
      const keyId = masterKeyIdOf(masterKey);
      const counts = await countStoredSecretsByKey(store.db);
      return {
        keyId,
        storedSecrets: counts.reduce((sum, entry) => sum + entry.count, 0),
        otherKeys: counts.filter((entry) => entry.keyId !== keyId),
      };
    },
  };
}

export type SecretResolver = ReturnType<typeof createSecretResolver>;
