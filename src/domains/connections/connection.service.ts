import type { Clock } from '../../core/clock.ts';
import type { Actor } from '../../core/context.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { createId } from '../../core/ids.ts';
import type {
  Connection,
  ConnectionIn,
  ConnectionPatch,
  DuplicateIn,
  Revision,
} from '../../contracts/connections.ts';
import type { Store, Tx } from '../../store/create-store.ts';
import type { AuditService } from '../audit/index.ts';
import type { EnvironmentService } from '../environments/index.ts';
import type { ProjectService } from '../projects/index.ts';
import {
  attachDeployments,
  createConnectionQueries,
  type ReadDeployments,
} from './connection-queries.ts';
import {
  checkConnectionRules,
  explainRefusal,
  parseConnectionInput,
  type CheckedConnection,
  type TlsMaterialLookup,
} from './connection-rules.ts';
import {
  isSameValue,
  toConnection,
  toInput,
  withWarnings,
  type SavedConnection,
} from './connection-view.ts';
import {
  deleteConnection,
  findConnectionById,
  findNameHolders,
  insertConnection,
  nameKeyOf,
  setConnectionEnvironments,
  updateConnection,
  type ConnectionRecord,
} from './connection.repo.ts';
import { applyMergePatch } from './merge-patch.ts';
import { isNameIndexViolation, nameTaken, NameIndexViolation } from './name-guard.ts';
import { resolveConnection } from './resolve-connection.ts';
import {
  findConnectionsWithPrunableRevisions,
  findRevision,
  insertRevision,
  pruneRevisionsOf,
} from './revision.repo.ts';

export interface ConnectionServiceDeps {
  store: Store;
  clock: Clock;
  audit: AuditService;
  environments: EnvironmentService;
  projects: ProjectService;
  /** certificates and key stores a connection's `tls` may name (checked at save) */
  tlsMaterial?: TlsMaterialLookup;
  /** the revision each environment runs (deployments domain): answers then carry `deployments` */
  readDeployments?: ReadDeployments;
  /**
   * Called after a change commits that can change what the runtime resolves for this
   * connection: enable, disable, delete, and a save, rollback or move that changes whether it
   * is enabled, its name or its project (what a name resolves to); also create and duplicate
   * (a new name can shadow a global one). Never inside the transaction; never for a save that
   * only changes the configuration (the deployed revision stays what it was).
   */
  onChanged?: (connectionId: string) => void;
}

/** How an `{id}` given as a name is looked up, and the revision a change expects. */
export interface ChangeOptions {
  project?: string;
  /** If-Match: refuse with REVISION_CONFLICT unless the connection is still at this revision */
  ifMatch?: number;
  /**
   * More work in the save's transaction, after the revision is written (Save and Deploy): if
   * it throws, nothing of the save is written either. Used by replace.
   */
  afterSave?: (tx: Tx, saved: SavedConnection) => Promise<void>;
}

export type { SavedConnection } from './connection-view.ts';

export function createConnectionService(deps: ConnectionServiceDeps) {
  const { store, clock, audit } = deps;

  /** The answer of a change: the connection with the revision each environment runs. */
  async function present<T extends Connection>(db: Tx, connection: T): Promise<T> {
    const [withState] = await attachDeployments(db, deps.readDeployments, [connection]);
    return withState ?? connection;
  }

  /** After the commit: tell the runtime when what it resolves for `before` may have changed. */
  function notifyChanged(before: ConnectionRecord | undefined, after: Connection | undefined) {
    const id = after?.id ?? before?.id;
    if (id === undefined || !deps.onChanged) return;
    const same =
      before !== undefined &&
      after !== undefined &&
      before.enabled === after.enabled &&
      before.spec.name === after.name &&
      before.projectId === after.project;
    if (!same) deps.onChanged(id);
  }

  /**
   * Runs a change in one transaction. The unique index on (project, name) is the backstop of
   * the locked name check: should it still fire, the answer is CONNECTION_NAME_TAKEN, with
   * the holder read after the rollback.
   */
  async function transact<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return await store.transaction(work);
    } catch (error) {
      if (!(error instanceof NameIndexViolation)) throw error;
      const holders = await findNameHolders(store.db, error.connectionName, {
        projectId: error.projectId,
      });
      throw nameTaken(error.connectionName, holders);
    }
  }

  /** Resolves `idOrName`, then holds the connection's lock and reads it again. */
  async function lockConnection(
    tx: Tx,
    idOrName: string,
    options: ChangeOptions,
  ): Promise<ConnectionRecord> {
    const found = await resolveConnection(tx, idOrName, options);
    await store.lock(tx, `connection:${found.id}`);
    const current = await findConnectionById(tx, found.id);
    if (!current) throw notFound('connection', idOrName);
    if (options.ifMatch !== undefined && options.ifMatch !== current.revision) {
      throw new AppError(
        'REVISION_CONFLICT',
        `connection '${current.spec.name}' is at revision ${current.revision}, not ${options.ifMatch}; read it again and reapply your change`,
        { id: current.id, revision: current.revision, expected: options.ifMatch },
      );
    }
    return current;
  }

  /** Waits for other changes of the same name, then refuses a name someone else holds. */
  async function claimName(
    tx: Tx,
    name: string,
    projectId: string | null,
    excludeId?: string,
  ): Promise<void> {
    await store.lock(tx, `connection-name:${nameKeyOf(name)}`);
    const holders = await findNameHolders(tx, name, { projectId, excludeId });
    if (holders.length > 0) throw nameTaken(name, holders);
  }

  async function writeRow(
    tx: Tx,
    record: ConnectionRecord,
    write: typeof insertConnection,
  ): Promise<void> {
    try {
      await write(tx, record);
    } catch (error) {
      if (isNameIndexViolation(error))
        throw new NameIndexViolation(record.spec.name, record.projectId);
      throw error;
    }
  }

  async function writeRevision(
    tx: Tx,
    record: ConnectionRecord,
    action: Revision['action'],
  ): Promise<void> {
    await insertRevision(tx, {
      connectionId: record.id,
      revision: record.revision,
      action,
      spec: record.spec,
      createdAt: record.updatedAt,
      createdBy: record.updatedBy,
    });
    await setConnectionEnvironments(tx, record.id, Object.keys(record.spec.environments));
  }

  /** A new connection at revision 1 (create and duplicate). */
  async function insertNew(
    tx: Tx,
    checked: CheckedConnection,
    actor: Actor,
    action: 'create' | 'duplicate',
  ): Promise<SavedConnection> {
    await claimName(tx, checked.spec.name, checked.projectId);
    const now = clock.now();
    const record: ConnectionRecord = {
      id: createId('con', now.getTime()),
      projectId: checked.projectId,
      enabled: checked.enabled,
      revision: 1,
      spec: checked.spec,
      createdAt: now.toISOString(),
      createdBy: actor.name,
      updatedAt: now.toISOString(),
      updatedBy: actor.name,
    };
    await writeRow(tx, record, insertConnection);
    await writeRevision(tx, record, action);
    const connection = toConnection(record);
    await audit.record(tx, {
      actor,
      action: `connection.${action}`,
      targetType: 'connection',
      targetId: record.id,
      targetName: record.spec.name,
      after: connection,
    });
    return withWarnings(connection, checked.warnings);
  }

  /**
   * Saves `checked` over `before`: a new revision only when the spec changed (or always, for
   * a rollback); a move or an enable/disable alone is audited without one. Nothing changed:
   * nothing written.
   */
  async function saveOver(
    tx: Tx,
    before: ConnectionRecord,
    checked: CheckedConnection,
    actor: Actor,
    action: 'update' | 'rollback',
  ): Promise<SavedConnection> {
    const specChanged = action === 'rollback' || !isSameValue(before.spec, checked.spec);
    const moved = before.projectId !== checked.projectId;
    if (!specChanged && !moved && before.enabled === checked.enabled) {
      return withWarnings(toConnection(before), checked.warnings);
    }
    if (moved || before.spec.name !== checked.spec.name) {
      await claimName(tx, checked.spec.name, checked.projectId, before.id);
    }
    const now = clock.now().toISOString();
    const after: ConnectionRecord = {
      ...before,
      projectId: checked.projectId,
      enabled: checked.enabled,
      spec: specChanged ? checked.spec : before.spec,
      revision: specChanged ? before.revision + 1 : before.revision,
      updatedAt: now,
      updatedBy: actor.name,
    };
    await writeRow(tx, after, updateConnection);
    if (specChanged) await writeRevision(tx, after, action);
    await recordChange(tx, actor, `connection.${action}`, before, after);
    return withWarnings(toConnection(after), checked.warnings);
  }

  async function recordChange(
    tx: Tx,
    actor: Actor,
    action: string,
    before: ConnectionRecord,
    after: ConnectionRecord,
  ): Promise<void> {
    await audit.record(tx, {
      actor,
      action,
      targetType: 'connection',
      targetId: after.id,
      targetName: after.spec.name,
      before: toConnection(before),
      after: toConnection(after),
    });
  }

  async function setEnabled(
    idOrName: string,
    enabled: boolean,
    actor: Actor,
    options: ChangeOptions = {},
  ): Promise<Connection> {
    let before: ConnectionRecord | undefined;
    const answer = await transact(async (tx) => {
      before = await lockConnection(tx, idOrName, options);
      if (before.enabled === enabled) return present(tx, toConnection(before));
      const after = {
        ...before,
        enabled,
        updatedAt: clock.now().toISOString(),
        updatedBy: actor.name,
      };
      await updateConnection(tx, after);
      await recordChange(
        tx,
        actor,
        enabled ? 'connection.enable' : 'connection.disable',
        before,
        after,
      );
      return present(tx, toConnection(after));
    });
    notifyChanged(before, answer);
    return answer;
  }

  return {
    ...createConnectionQueries(deps),

    async create(input: ConnectionIn, actor: Actor): Promise<SavedConnection> {
      const created = await transact(async (tx) => {
        const checked = await checkConnectionRules(tx, deps, input);
        return present(tx, await insertNew(tx, checked, actor, 'create'));
      });
      notifyChanged(undefined, created);
      return created;
    },

    /**
     * For another domain's change of this connection in its own transaction (deploy):
     * resolves `idOrName`, holds the connection's lock until `tx` ends and checks If-Match.
     */
    async lockForChange(
      tx: Tx,
      idOrName: string,
      options: ChangeOptions = {},
    ): Promise<Connection> {
      return toConnection(await lockConnection(tx, idOrName, options));
    },

    /**
     * Checks an unsaved configuration (Test Connection on a draft) with every rule a save
     * would check except the name's uniqueness; nothing is written.
     */
    checkDraft: (input: ConnectionIn): Promise<CheckedConnection> =>
      checkConnectionRules(store.db, deps, input),

    /** The schema refused `raw`: add what the store would also refuse (see explainRefusal). */
    explainRefusal: (raw: unknown, refusal: AppError): Promise<AppError> =>
      explainRefusal(store.db, deps, raw, refusal),

    /** PUT: `input` replaces the connection (name, project and global included). */
    async replace(
      idOrName: string,
      input: ConnectionIn,
      actor: Actor,
      options: ChangeOptions = {},
    ): Promise<SavedConnection> {
      let before: ConnectionRecord | undefined;
      const saved = await transact(async (tx) => {
        before = await lockConnection(tx, idOrName, options);
        const checked = await checkConnectionRules(tx, deps, input);
        const result = await saveOver(tx, before, checked, actor, 'update');
        await options.afterSave?.(tx, result);
        return present(tx, result);
      });
      notifyChanged(before, saved);
      return saved;
    },

    /** PATCH: a JSON merge patch of the ConnectionIn representation, then saved like PUT. */
    async patch(
      idOrName: string,
      patch: ConnectionPatch,
      actor: Actor,
      options: ChangeOptions = {},
    ): Promise<SavedConnection> {
      let before: ConnectionRecord | undefined;
      const saved = await transact(async (tx) => {
        before = await lockConnection(tx, idOrName, options);
        const input = await parseConnectionInput(tx, deps, applyMergePatch(toInput(before), patch));
        const checked = await checkConnectionRules(tx, deps, input);
        return present(tx, await saveOver(tx, before, checked, actor, 'update'));
      });
      notifyChanged(before, saved);
      return saved;
    },

    async remove(idOrName: string, actor: Actor, options: ChangeOptions = {}): Promise<void> {
      let before: ConnectionRecord | undefined;
      await transact(async (tx) => {
        before = await lockConnection(tx, idOrName, options);
        // CONNECTION_IN_USE goes here once flows and jobs exist: refuse, listing the usages.
        await deleteConnection(tx, before.id);
        await audit.record(tx, {
          actor,
          action: 'connection.delete',
          targetType: 'connection',
          targetId: before.id,
          targetName: before.spec.name,
          before: toConnection(before),
        });
      });
      notifyChanged(before, undefined);
    },

    enable: (idOrName: string, actor: Actor, options?: ChangeOptions) =>
      setEnabled(idOrName, true, actor, options),
    disable: (idOrName: string, actor: Actor, options?: ChangeOptions) =>
      setEnabled(idOrName, false, actor, options),

    /** Makes a project connection global; refused while another project uses its name. */
    async moveToGlobal(
      idOrName: string,
      actor: Actor,
      options: ChangeOptions = {},
    ): Promise<Connection> {
      let before: ConnectionRecord | undefined;
      const moved = await transact(async (tx) => {
        before = await lockConnection(tx, idOrName, options);
        if (before.projectId === null) return present(tx, toConnection(before));
        await claimName(tx, before.spec.name, null, before.id);
        const after = {
          ...before,
          projectId: null,
          updatedAt: clock.now().toISOString(),
          updatedBy: actor.name,
        };
        await writeRow(tx, after, updateConnection);
        await recordChange(tx, actor, 'connection.move-to-global', before, after);
        return present(tx, toConnection(after));
      });
      notifyChanged(before, moved);
      return moved;
    },

    /**
     * A new revision with the spec of an old one, checked against today's rules (an
     * environment deleted since, a name taken since).
     */
    async rollback(
      idOrName: string,
      revision: number,
      actor: Actor,
      options: ChangeOptions = {},
    ): Promise<SavedConnection> {
      let before: ConnectionRecord | undefined;
      const saved = await transact(async (tx) => {
        before = await lockConnection(tx, idOrName, options);
        const old = await findRevision(tx, before.id, revision);
        if (!old) throw notFound('revision', `${before.spec.name}@${revision}`);
        const input = await parseConnectionInput(tx, deps, { ...toInput(before), ...old.spec });
        const checked = await checkConnectionRules(tx, deps, input);
        return present(tx, await saveOver(tx, before, checked, actor, 'rollback'));
      });
      notifyChanged(before, saved);
      return saved;
    },

    /**
     * Retention (HOOKLINE_REVISION_RETENTION): keeps each connection's newest `keep`
     * revisions, and older ones only while deployed, last deployed to an environment or
     * waiting in a pending approval. One connection per transaction, under its lock (a deploy
     * of an old revision waits for it, or it for the deploy). Answers how many were removed.
     */
    async pruneRevisions(keep: number, batch = 100): Promise<number> {
      if (keep < 1) return 0;
      let removed = 0;
      for (;;) {
        const ids = await findConnectionsWithPrunableRevisions(store.db, keep, batch);
        let removedNow = 0;
        for (const id of ids) {
          removedNow += await store.transaction(async (tx) => {
            await store.lock(tx, `connection:${id}`);
            return pruneRevisionsOf(tx, id, keep);
          });
          // node:sqlite answers synchronously: let the API in between connections
          await new Promise((resolve) => setImmediate(resolve));
        }
        removed += removedNow;
        // nothing removed: what is left changed under us; the next sweep looks again
        if (ids.length < batch || removedNow === 0) return removed;
      }
    },

    /** A new connection (revision 1) with the source's spec and enabled flag, under a new name. */
    async duplicate(
      idOrName: string,
      target: DuplicateIn,
      actor: Actor,
      options: { project?: string } = {},
    ): Promise<SavedConnection> {
      const copy = await transact(async (tx) => {
        const source = await resolveConnection(tx, idOrName, options);
        const global = target.global ?? (target.project === undefined && source.projectId === null);
        const input = await parseConnectionInput(tx, deps, {
          ...toInput(source),
          name: target.name,
          global,
          project: target.project ?? source.projectId ?? undefined,
        });
        const checked = await checkConnectionRules(tx, deps, input);
        return present(tx, await insertNew(tx, checked, actor, 'duplicate'));
      });
      notifyChanged(undefined, copy);
      return copy;
    },
  };
}

export type ConnectionService = ReturnType<typeof createConnectionService>;
