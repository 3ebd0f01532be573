import type { Clock } from '../../core/clock.ts';
import type { Actor } from '../../core/context.ts';
import { AppError, notFound, validationFailed, type Problem } from '../../core/errors.ts';
import { createId } from '../../core/ids.ts';
import type {
  Variable,
  VariableIn,
  VariableListQuery,
  VariablePatch,
  VariableReplace,
} from '../../contracts/variables.ts';
import type { Db, Store, Tx } from '../../store/create-store.ts';
import type { AuditService } from '../audit/index.ts';
import type { EnvironmentService } from '../environments/index.ts';
import {
  createChangeFeed,
  decodeNameCursor,
  encodeNameCursor,
  type RuntimeValueChange,
} from '../secrets/index.ts';
import { canonicalEnvironments, variableWarnings } from './variable-rules.ts';
import { createVariableCache } from './variable-cache.ts';
import {
  deleteVariable,
  findVariable,
  findVariableByName,
  insertVariable,
  isNameIndexViolation,
  listVariables,
  nameKeyOf,
  updateVariable,
  type VariableRecord,
} from './variable.repo.ts';

export interface VariableServiceDeps {
  store: Store;
  clock: Clock;
  audit: AuditService;
  environments: EnvironmentService;
}

class NameIndexViolation extends Error {}

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

  function variableExists(name: string): AppError {
    return new AppError(
      'VARIABLE_EXISTS',
      `a variable named '${name}' already exists (names ignore case); change it with PUT or PATCH /api/v1/variables/${name}`,
      { name },
    );
  }

  async function change<T>(
    work: (tx: Tx) => Promise<{ result: T; change?: RuntimeValueChange }>,
    name?: string,
  ): Promise<T> {
    let outcome: { result: T; change?: RuntimeValueChange };
    try {
      outcome = await store.transaction(work);
    } catch (error) {
      if (error instanceof NameIndexViolation && name !== undefined) throw variableExists(name);
      throw error;
    }
    if (outcome.change) {
      cache.forget();
      feed.emit(outcome.change);
    }
    return outcome.result;
  }

  async function lockVariable(tx: Tx, idOrName: string): Promise<VariableRecord> {
    const found = await findVariable(tx, idOrName);
    if (!found) throw notFound('variable', idOrName);
    await store.lock(tx, `variable-name:${nameKeyOf(found.name)}`);
    const current = await findVariable(tx, found.id);
    if (!current) throw notFound('variable', idOrName);
    return current;
  }

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
    await audit.record(tx, {
      actor,
      action: 'variable.update',
      targetType: 'variable',
      targetId: after.id,
      targetName: after.name,
      before: toVariable(before),
      after: toVariable(after),
    });
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
      const before = await lockVariable(tx, idOrName);
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
      const rows = await listVariables(store.db, {
        nameContains: query.q,
        environmentId,
        afterNameKey: query.cursor === undefined ? undefined : decodeNameCursor('v', query.cursor),
        limit: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map(toVariable),
        next:
          rows.length > query.limit && last ? encodeNameCursor('v', nameKeyOf(last.name)) : null,
      };
    },

    async get(idOrName: string): Promise<Variable> {
      const found = await findVariable(store.db, idOrName);
      if (!found) throw notFound('variable', idOrName);
      return toVariable(found);
    },

    async create(input: VariableIn, actor: Actor): Promise<Variable> {
      return change(async (tx) => {
        await store.lock(tx, `variable-name:${nameKeyOf(input.name)}`);
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
        try {
          await insertVariable(tx, record);
        } catch (error) {
          if (isNameIndexViolation(error)) throw new NameIndexViolation();
          throw error;
        }
        await audit.record(tx, {
          actor,
          action: 'variable.create',
          targetType: 'variable',
          targetId: record.id,
          targetName: record.name,
          after: toVariable(record),
        });
        return {
          result: withWarnings(record),
          change: { kind: 'variable', name: record.name, action: 'create' },
        };
      }, input.name);
    },

    /** PUT: the description and all values; an environment left out loses its value. */
    async replace(idOrName: string, input: VariableReplace, actor: Actor): Promise<Variable> {
      return change(async (tx) => {
        const before = await lockVariable(tx, idOrName);
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

    async remove(idOrName: string, actor: Actor): Promise<void> {
      await change(async (tx) => {
        const before = await lockVariable(tx, idOrName);
        await deleteVariable(tx, before.id);
        await audit.record(tx, {
          actor,
          action: 'variable.delete',
          targetType: 'variable',
          targetId: before.id,
          targetName: before.name,
          before: toVariable(before),
        });
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
