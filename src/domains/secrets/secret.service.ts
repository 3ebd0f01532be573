import type { Clock } from '../../core/clock.ts';
import type { Actor } from '../../core/context.ts';
import { AppError, validationFailed } from '../../core/errors.ts';
import { createId } from '../../core/ids.ts';
import type { Warning } from '../../contracts/common.ts';
import {
  minSecretValueChars,
  type Secret,
  type SecretIn,
  type SecretListQuery,
  type SecretPatch,
  type SecretRotate,
  type SecretStatus,
} from '../../contracts/secrets.ts';
import type { Usage } from '../../contracts/usages.ts';
import type { Store } from '../../store/create-store.ts';
import type { AuditService } from '../audit/index.ts';
import {
  createAuditRecorder,
  createChangeRunner,
  findAndLock,
  findNamed,
  insertNamed,
  lockName,
  nameTaken,
  findUsages,
  readNamePage,
  refuseWhileUsed,
  type NamedLookup,
} from '../named-resources/index.ts';
import { createChangeFeed, type RuntimeValueChange } from './change-feed.ts';
import { sealSecret } from './secret-cipher.ts';
import { createSecretResolver, defaultSourceCheckIntervalMs } from './secret-resolver.ts';
import { checkFileLocation, type FileSourcePolicy, type SourceRead } from './secret-sources.ts';
import { toSecret, withWarnings } from './secret-view.ts';
import {
  deleteSecret,
  findSecret,
  findSecretByName,
  insertSecret,
  listSecrets,
  updateSecret,
  type SecretOrigin,
  type SecretRecord,
} from './secret.repo.ts';

export interface SecretServiceDeps {
  store: Store;
  clock: Clock;
  audit: AuditService;
  /** 32 bytes: seals stored secrets (master-key.ts) */
  masterKey: Buffer;
  /** what `env` secrets read, at call time: the live process.env in the server */
  env: Record<string, string | undefined>;
  /** directories file secrets may not read (the data directory) */
  protectedDirs?: readonly string[];
}

const lookup: NamedLookup<SecretRecord> = { kind: 'secret', what: 'secret', find: findSecret };

function secretExists(name: string) {
  return nameTaken(
    'SECRET_EXISTS',
    'secret',
    name,
    'rotate it (a new value or source) instead of creating it again',
  );
}

export function createSecretService(deps: SecretServiceDeps) {
  const { store, clock, audit, masterKey } = deps;
  const policy: FileSourcePolicy = { protectedDirs: deps.protectedDirs ?? [] };
  const feed = createChangeFeed();
  const resolver = createSecretResolver({ store, masterKey, env: deps.env, policy, feed });
  // metadata only: toSecret carries no value and no ciphertext
  const recordAudit = createAuditRecorder(audit, 'secret', toSecret);

  /** One transaction; after the commit, caches are dropped and listeners told. */
  const change = createChangeRunner<RuntimeValueChange>({
    store,
    nameTaken: secretExists,
    afterCommit(committed) {
      resolver.forget();
      feed.emit(committed);
    },
  });

  /**
   * Where the value will come from. env and file sources read the server's own environment
   * and files, so only an admin may name them; their locations are checked here.
   */
  async function originOf(
    name: string,
    input: { value?: string; env?: string; file?: string },
    actor: Actor,
  ): Promise<SecretOrigin> {
    if (input.value !== undefined) {
      return { source: 'stored', sealed: sealSecret(masterKey, name, input.value) };
    }
    if (actor.role !== 'admin') {
      throw new AppError(
        'FORBIDDEN',
        "only an admin may create secrets read from the server's environment or files; an editor may store a value",
        { source: input.env !== undefined ? 'env' : 'file' },
      );
    }
    if (input.env !== undefined) return { source: 'env', envVar: input.env };
    const filePath = input.file as string;
    const refused = await checkFileLocation(filePath, policy);
    if (refused) throw validationFailed([{ path: 'file', message: refused }]);
    return { source: 'file', filePath };
  }

  /**
   * What a call would get: the value, or why it cannot use it — a value shorter than
   * minSecretValueChars too. Env and file values are checked here and when a call resolves
   * them (the engine refuses them), not refused at save: they change outside Hookline, and
   * each process reads its own environment and files.
   */
  async function readForCalls(record: SecretRecord): Promise<SourceRead> {
    const read = await resolver.readRecord(record);
    if ('problem' in read || [...read.value].length >= minSecretValueChars) return read;
    const { origin } = record;
    const where =
      origin.source === 'env'
        ? `the value of environment variable ${origin.envVar}`
        : origin.source === 'file'
          ? `the content of ${origin.filePath}`
          : 'the stored value';
    return {
      problem: `${where} is shorter than ${minSecretValueChars} characters, too short to be masked in answers`,
    };
  }

  /** An env or file source that cannot be read now (or holds too short a value): saved, with a warning. */
  async function warningsFor(record: SecretRecord): Promise<Warning[]> {
    if (record.origin.source === 'stored') return [];
    const read = await readForCalls(record);
    if ('value' in read) return [];
    return [
      {
        code: 'SECRET_SOURCE_UNAVAILABLE',
        path: record.origin.source,
        message: `${read.problem}; calls that use {{secret.${record.name}}} fail with TEMPLATE_UNRESOLVED until it can be read (each Hookline process reads its own environment and files)`,
      },
    ];
  }

  return {
    async list(query: SecretListQuery): Promise<{ items: Secret[]; next: string | null }> {
      const { page, next } = await readNamePage(query, 's', (filter) =>
        listSecrets(store.db, { ...filter, source: query.source }),
      );
      return { items: page.map(toSecret), next };
    },

    async get(idOrName: string): Promise<Secret> {
      const found = await findNamed(store.db, lookup, idOrName);
      return toSecret(found);
    },

    /** Whether a call could use the secret now; the problem when not (never the value). */
    async status(idOrName: string): Promise<SecretStatus> {
      const found = await findNamed(store.db, lookup, idOrName);
      const read = await readForCalls(found);
      return {
        name: found.name,
        source: found.origin.source,
        version: found.version,
        resolvable: 'value' in read,
        problem: 'problem' in read ? read.problem : null,
      };
    },

    async create(input: SecretIn, actor: Actor): Promise<Secret> {
      const record = await change(async (tx) => {
        await lockName(store, tx, 'secret', input.name);
        const existing = await findSecretByName(tx, input.name);
        if (existing) throw secretExists(existing.name);
        const now = clock.now();
        const created: SecretRecord = {
          id: createId('sec', now.getTime()),
          name: input.name,
          description: input.description,
          origin: await originOf(input.name, input, actor),
          version: 1,
          createdAt: now.toISOString(),
          createdBy: actor.name,
          updatedAt: now.toISOString(),
          updatedBy: actor.name,
        };
        await insertNamed('secrets', () => insertSecret(tx, created));
        await recordAudit(tx, actor, 'secret.create', undefined, created);
        return {
          result: created,
          change: { kind: 'secret', name: created.name, action: 'create' },
        };
      }, input.name);
      return withWarnings(toSecret(record), await warningsFor(record));
    },

    /** PUT: a new value or source, version + 1; the description stays unless given. */
    async rotate(idOrName: string, input: SecretRotate, actor: Actor): Promise<Secret> {
      const record = await change(async (tx) => {
        const before = await findAndLock(store, tx, lookup, idOrName);
        const after: SecretRecord = {
          ...before,
          description: input.description ?? before.description,
          origin: await originOf(before.name, input, actor),
          version: before.version + 1,
          updatedAt: clock.now().toISOString(),
          updatedBy: actor.name,
        };
        await updateSecret(tx, after);
        await recordAudit(tx, actor, 'secret.rotate', before, after);
        return { result: after, change: { kind: 'secret', name: after.name, action: 'update' } };
      });
      return withWarnings(toSecret(record), await warningsFor(record));
    },

    /** PATCH: the description only; the value and version stay. */
    async patch(idOrName: string, patch: SecretPatch, actor: Actor): Promise<Secret> {
      return change(async (tx) => {
        const before = await findAndLock(store, tx, lookup, idOrName);
        if (patch.description === before.description) return { result: toSecret(before) };
        const after: SecretRecord = {
          ...before,
          description: patch.description,
          updatedAt: clock.now().toISOString(),
          updatedBy: actor.name,
        };
        await updateSecret(tx, after);
        await recordAudit(tx, actor, 'secret.update', before, after);
        return { result: toSecret(after) };
      });
    },

    /** Which connections use `{{secret.NAME}}` (or a key store it opens), per environment. */
    async usages(idOrName: string): Promise<Usage[]> {
      const found = await findNamed(store.db, lookup, idOrName);
      return findUsages(store.db, 'secret', found.name);
    },

    /**
     * Refused with SECRET_IN_USE while a connection's current configuration or a deployed
     * revision references it: a call would fail with TEMPLATE_UNRESOLVED.
     */
    async remove(idOrName: string, actor: Actor): Promise<void> {
      await change(async (tx) => {
        const before = await findAndLock(store, tx, lookup, idOrName);
        await refuseWhileUsed(tx, {
          kind: 'secret',
          name: before.name,
          code: 'SECRET_IN_USE',
          what: 'secret',
          advice: `remove {{secret.${before.name}}} from them (and deploy, or undeploy, where a deployed revision uses it) first, or rotate the secret instead`,
        });
        await deleteSecret(tx, before.id);
        await recordAudit(tx, actor, 'secret.delete', before, undefined);
        return {
          result: undefined,
          change: { kind: 'secret', name: before.name, action: 'delete' },
        };
      });
    },

    /**
     * For the dispatch engine: the value of `{{secret.NAME}}` now (names ignore case), or
     * undefined when there is none — no such secret, an unset variable, an unreadable file,
     * a value sealed under another master key. resolveSecretDetailed says which.
     */
    async resolveSecret(name: string): Promise<string | undefined> {
      const read = await resolver.resolveDetailed(name);
      return 'value' in read ? read.value : undefined;
    },

    /**
     * Like resolveSecret, with the reason when there is no value (never the value in it);
     * `db`: read in that transaction (a deploy's rules), past the cache.
     */
    resolveSecretDetailed: resolver.resolveDetailed,

    /** Calls `listener` after every committed change of a secret; answers the unsubscribe. */
    onChange: feed.onChange,
    /** Grows by one on every change (a cache may compare it instead of listening). */
    changeVersion: feed.version,
    /** Another process changed secrets (a cluster notification): drop caches, tell listeners. */
    invalidate: resolver.invalidate,
    /** Reads env and file secrets; reports changed values to listeners as `source-changed`. */
    checkSources: resolver.checkSources,
    /** Which master key is in use and how many stored secrets another key sealed. */
    checkMasterKey: resolver.checkMasterKey,

    /**
     * Runs checkSources every `intervalMs` (default 30 s) until the answered function is
     * called; that function waits for a check in progress, so the store can close after it.
     * The timer does not keep the process alive.
     */
    watchSources(options: { intervalMs?: number; onError?: (error: unknown) => void } = {}) {
      let inFlight: Promise<void> | undefined;
      const check = () => {
        if (inFlight) return;
        inFlight = resolver
          .checkSources()
          .then(() => undefined)
          .catch((error: unknown) => options.onError?.(error))
          .finally(() => {
            inFlight = undefined;
          });
      };
      const timer = setInterval(check, options.intervalMs ?? defaultSourceCheckIntervalMs);
      timer.unref();
      // the first check only remembers the values, so the next one has something to compare
      check();
      return async (): Promise<void> => {
        clearInterval(timer);
        await inFlight;
      };
    },
  };
}

export type SecretService = ReturnType<typeof createSecretService>;
