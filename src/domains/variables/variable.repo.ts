import type { Db } from '../../store/create-store.ts';
import type { VariablesTable } from '../../store/database.ts';
import {
  nameKeyOf,
  pageByNameKey,
  whereIdOrName,
  whereName,
  type NamePageFilter,
} from '../../store/name-key.ts';

/** A variable with its values: environment id (as stored) → value. */
export interface VariableRecord {
  id: string;
  name: string;
  description: string;
  values: Record<string, string>;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

function toRecord(row: VariablesTable, values: Record<string, string>): VariableRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    values,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

/** Values of several variables in one query: variable id → environment id → value. */
async function valuesOf(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>(ids.map((id) => [id, {}]));
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('variable_values')
    .select(['variable_id', 'environment_id', 'value'])
    .where('variable_id', 'in', ids)
    .orderBy('variable_id')
    .orderBy('environment_id')
    .execute();
  for (const row of rows) {
    const values = out.get(row.variable_id);
    if (values) values[row.environment_id] = row.value;
  }
  return out;
}

/** By id, else by name ignoring case (`{id}` in a path accepts either). */
export async function findVariable(db: Db, idOrName: string): Promise<VariableRecord | undefined> {
  const row = await whereIdOrName(
    db.selectFrom('variables').selectAll(),
    idOrName,
  ).executeTakeFirst();
  if (!row) return undefined;
  return toRecord(row, (await valuesOf(db, [row.id])).get(row.id) ?? {});
}

export async function findVariableByName(
  db: Db,
  name: string,
): Promise<VariableRecord | undefined> {
  const row = await whereName(db.selectFrom('variables').selectAll(), name).executeTakeFirst();
  if (!row) return undefined;
  return toRecord(row, (await valuesOf(db, [row.id])).get(row.id) ?? {});
}

export async function insertVariable(db: Db, record: VariableRecord): Promise<void> {
  await db
    .insertInto('variables')
    .values({
      id: record.id,
      name: record.name,
      name_key: nameKeyOf(record.name),
      description: record.description,
      created_at: record.createdAt,
      created_by: record.createdBy,
      updated_at: record.updatedAt,
      updated_by: record.updatedBy,
    })
    .execute();
  await setVariableValues(db, record.id, record.values);
}

export async function updateVariable(db: Db, record: VariableRecord): Promise<void> {
  await db
    .updateTable('variables')
    .set({
      description: record.description,
      updated_at: record.updatedAt,
      updated_by: record.updatedBy,
    })
    .where('id', '=', record.id)
    .execute();
  await setVariableValues(db, record.id, record.values);
}

async function setVariableValues(
  db: Db,
  variableId: string,
  values: Record<string, string>,
): Promise<void> {
  await db.deleteFrom('variable_values').where('variable_id', '=', variableId).execute();
  const rows = Object.entries(values).map(([environmentId, value]) => ({
    variable_id: variableId,
    environment_id: environmentId,
    value,
  }));
  if (rows.length > 0) await db.insertInto('variable_values').values(rows).execute();
}

export async function deleteVariable(db: Db, id: string): Promise<void> {
  await db.deleteFrom('variables').where('id', '=', id).execute();
}

export interface VariableListFilter extends NamePageFilter {
  /** only variables with a value for this environment (its stored id) */
  environmentId?: string;
}

/** One page in name order, read forward from the unique name_key index, values in one query. */
export async function listVariables(db: Db, filter: VariableListFilter): Promise<VariableRecord[]> {
  let query = db.selectFrom('variables').selectAll();
  if (filter.environmentId !== undefined) {
    const environmentId = filter.environmentId;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('variable_values')
          .select('variable_values.variable_id')
          .whereRef('variable_values.variable_id', '=', 'variables.id')
          .where('variable_values.environment_id', '=', environmentId),
      ),
    );
  }
  const rows = await pageByNameKey(query, filter).execute();
  const values = await valuesOf(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toRecord(row, values.get(row.id) ?? {}));
}

/**
 * The values of the variables named (any case), in one query: name key → environment id →
 * value. Names without a variable are absent. For pinning at deploy and the connection
 * answer's `variablesChanged`.
 */
export async function readValuesByName(
  db: Db,
  names: readonly string[],
): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  const keys = [...new Set(names.map(nameKeyOf))];
  if (keys.length === 0) return out;
  const rows = await db
    .selectFrom('variables')
    .innerJoin('variable_values', 'variable_values.variable_id', 'variables.id')
    .select(['variables.name_key', 'variable_values.environment_id', 'variable_values.value'])
    .where('variables.name_key', 'in', keys)
    .execute();
  for (const row of rows) {
    const values = out.get(row.name_key) ?? {};
    values[row.environment_id] = row.value;
    out.set(row.name_key, values);
  }
  return out;
}
