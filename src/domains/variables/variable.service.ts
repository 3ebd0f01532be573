import type { Clock } from '../../core/clock.ts';
import type { Actor } from '../../core/context.ts';
import { validationFailed, type AppError, type Problem } from '../../core/errors.ts';
import { createId } from '../../core/ids.ts';
import type {
  Variable,
  VariableIn,
  VariableListQuery,
  VariablePatch,
  VariableReplace,
} from '../../contracts/variables.ts';
import type { Usage } from '../../contracts/usages.ts';
import type { Db, Store, Tx } from '../../store/create-store.ts';
import type { AuditService } from '../audit/index.ts';
import type { EnvironmentService } from '../environments/index.ts';
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
import { createChangeFeed, type RuntimeValueChange } from '../secrets/index.ts';
import { canonicalEnvironments, variableWarnings } from './variable-rules.ts';
import { createVariableCache } from './variable-cache.ts';
import {
  deleteVariable,
  findVariable,
  findVariableByName,
  insertVariable,
  listVariables,
  updateVariable,
  type VariableRecord,
} from './variable.repo.ts';

export interface VariableServiceDeps {
  store: Store;
  clock: Clock;
  audit: AuditService;
  environments: EnvironmentService;
}

const lookup: NamedLookup<VariableRecord> = {
  kind: 'variable',
  what: 'variable',
  find: findVariable,
};

function variableExists(name: string) {
  return nameTaken(
    'VARIABLE_EXISTS',
    'variable',
    name,
    'change its values instead of creating it again',
  );
}

function toVariable(record: VariableRecord): Variable {
  return {
    id: record.id,
    name: record.name,
    description: record.description,
    values: record.values,
    createdAt: record.createdAt,
    createdBy: record.createdBy,
    updatedAt: record.updatedAt,
    updatedBy: record.updatedBy,
  };
}

function withWarnings(record: VariableRecord): Variable {
  const warnings = variableWarnings(record.name, record.values);
  const variable = toVariable(record);
  return warnings.length > 0 ? { ...variable, warnings } : variable;
}

function isSameValues(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function createVariableService(deps: VariableServiceDeps) {
  const { store, clock, audit, environments } = deps;
  const feed = createChangeFeed();
  const cache = createVariableCache(store, feed);
  const recordAudit = createAuditRecorder(audit, 'variable', toVariable);

  const change = createChangeRunner<RuntimeValueChange>({
    store,
    nameTaken: variableExists,
    afterCommit(committed) {
      cache.forget();
      feed.emit(committed);
    },
  });

  /** Values keyed by stored environment ids; every unknown environment is a problem. */
  async function checkValues(
    db: Db,
    values: Record<string, string | null>,
  ): Promise<Record<string, string | null>> {
    const { ids, problems } = await canonicalEnvironments(db, environments, Object.keys(values));
    if (problems.length > 0) throw validationFailed(problems);
    const out: Record<string, string | null> = {};
    for (const [key, id] of ids) out[id] = values[key] as string | null;
    return out;
  }

  /** Saves `values` and `description` over `before`; nothing changed: nothing written. */
  async function saveOver(
    tx: Tx,
    before: VariableRecord,
    next: { description: string; values: Record<string, string> },
    actor: Actor,
  ): Promise<{ result: Variable; change?: RuntimeValueChange }> {
    if (next.description === before.description && isSameValues(before.values, next.values)) {
      return { result: withWarnings(before) };
    }
    const after: VariableRecord = {
      ...before,
      description: next.description,
      values: sortedValues(next.values),
      updatedAt: clock.now().toISOString(),
      updatedBy: actor.name,
    };
    await updateVariable(tx, after);
    await recordAudit(tx, actor, 'variable.update', before, after);
    return {
      result: withWarnings(after),
      change: { kind: 'variable', name: after.name, action: 'update' },
    };
  }

  async function applyPatch(
    idOrName: string,
    patch: VariablePatch,
    actor: Actor,
  ): Promise<Variable> {
    return change(async (tx) => {
      const before = await findAndLock(store, tx, lookup, idOrName);
      const given = await checkValues(tx, patch.values ?? {});
      const merged = new Map(Object.entries(before.values));
      for (const [id, value] of Object.entries(given)) {
        if (value === null) merged.delete(id);
        else merged.set(id, value);
      }
      const values = Object.fromEntries(merged);
      return saveOver(
        tx,
        before,
        { description: patch.description ?? before.description, values },
        actor,
      );
    });
  }

  return {
    async list(query: VariableListQuery): Promise<{ items: Variable[]; next: string | null }> {
      const environmentId =
        query.environment === undefined
          ? undefined
          : (await environments.get(query.environment)).id;
      const { page, next } = await readNamePage(query, 'v', (filter) =>
        listVariables(store.db, { ...filter, environmentId }),
      );
      return { items: page.map(toVariable), next };
    },

    async get(idOrName: string): Promise<Variable> {
      const found = await findNamed(store.db, lookup, idOrName);
      return toVariable(found);
    },

    async create(input: VariableIn, actor: Actor): Promise<Variable> {
      return change(async (tx) => {
        await lockName(store, tx, 'variable', input.name);
        const existing = await findVariableByName(tx, input.name);
        if (existing) throw variableExists(existing.name);
        const values = (await checkValues(tx, input.values)) as Record<string, string>;
        const now = clock.now();
        const record: VariableRecord = {
          id: createId('var', now.getTime()),
          name: input.name,
          description: input.description,
          values: sortedValues(values),
          createdAt: now.toISOString(),
          createdBy: actor.name,
          updatedAt: now.toISOString(),
          updatedBy: actor.name,
        };
        await insertNamed('variables', () => insertVariable(tx, record));
        await recordAudit(tx, actor, 'variable.create', undefined, record);
        return {
          result: withWarnings(record),
          change: { kind: 'variable', name: record.name, action: 'create' },
        };
      }, input.name);
    },

    /** PUT: the description and all values; an environment left out loses its value. */
    async replace(idOrName: string, input: VariableReplace, actor: Actor): Promise<Variable> {
      return change(async (tx) => {
        const before = await findAndLock(store, tx, lookup, idOrName);
        const values = (await checkValues(tx, input.values)) as Record<string, string>;
        return saveOver(tx, before, { description: input.description, values }, actor);
      });
    },

    /** PATCH: the values given are set, `null` removes one; the rest stays. */
    patch: applyPatch,

    /** One environment's value (PUT …/values/{environment}). */
    setValue: (idOrName: string, environmentId: string, value: string, actor: Actor) =>
      applyPatch(idOrName, { values: { [environmentId]: value } }, actor),

    /** Removes one environment's value (DELETE …/values/{environment}). */
    removeValue: (idOrName: string, environmentId: string, actor: Actor) =>
      applyPatch(idOrName, { values: { [environmentId]: null } }, actor),

    /** Which connections use `{{var.NAME}}`, per environment. */
    async usages(idOrName: string): Promise<Usage[]> {
      const found = await findNamed(store.db, lookup, idOrName);
      return findUsages(store.db, 'variable', found.name);
    },

    /**
     * Refused with VARIABLE_IN_USE while a connection's current configuration or a deployed
     * revision references it: those could no longer be deployed as they are.
     */
    async remove(idOrName: string, actor: Actor): Promise<void> {
      await change(async (tx) => {
        const before = await findAndLock(store, tx, lookup, idOrName);
        await refuseWhileUsed(tx, {
          kind: 'variable',
          name: before.name,
          code: 'VARIABLE_IN_USE',
          what: 'variable',
          advice: `remove {{var.${before.name}}} from them (and deploy, or undeploy, where a deployed revision uses it) first`,
        });
        await deleteVariable(tx, before.id);
        await recordAudit(tx, actor, 'variable.delete', before, undefined);
        return {
          result: undefined,
          change: { kind: 'variable', name: before.name, action: 'delete' },
        };
      });
    },

    /**
     * The schema refused `raw` (POST or PUT): add the unknown environments among its values,
     * so the user fixes everything in one round trip.
     */
    async explainRefusal(raw: unknown, refusal: AppError): Promise<AppError> {
      if (!isRecord(raw) || !isRecord(raw.values)) return refusal;
      const schemaProblems = (refusal.details?.problems ?? []) as Problem[];
      const { problems } = await canonicalEnvironments(
        store.db,
        environments,
        Object.keys(raw.values),
      );
      const reported = new Set(schemaProblems.map((problem) => problem.path));
      const added = problems.filter((problem) => !reported.has(problem.path));
      return added.length > 0 ? validationFailed([...schemaProblems, ...added]) : refusal;
    },

    /**
     * For the dispatch engine: the value of `{{var.NAME}}` in an environment (names and
     * environment ids ignore case), or undefined when the variable or that value is missing.
     * Served from memory after the first read of a name (see variable-cache.ts).
     */
    variableValue: cache.variableValue,
    /** Calls `listener` after every committed change of a variable; answers the unsubscribe. */
    onChange: feed.onChange,
    /** Grows by one on every change (a cache may compare it instead of listening). */
    changeVersion: feed.version,
    /** Another process changed variables (a cluster notification): drop caches, tell listeners. */
    invalidate: cache.invalidate,
  };
}

function sortedValues(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

export type VariableService = ReturnType<typeof createVariableService>;
