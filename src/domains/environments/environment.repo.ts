import type { Selectable } from 'kysely';
import type { Db } from '../../store/create-store.ts';
import {
  defaultEgress,
  type EgressSettings,
  type Environment,
  type EnvironmentKind,
} from '../../contracts/environments.ts';
import type { EnvironmentsTable } from '../../store/database.ts';

function toEnvironment(row: Selectable<EnvironmentsTable>): Environment {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as EnvironmentKind,
    description: row.description,
    egress: parseEgress(row.egress),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function listEnvironments(db: Db): Promise<Environment[]> {
  const rows = await db
    .selectFrom('environments')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toEnvironment);
}

/** Finds by id, ignoring case (`Production` finds `production`). */
export async function findEnvironment(db: Db, id: string): Promise<Environment | undefined> {
  const row = await db
    .selectFrom('environments')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['id']), '=', id.toLowerCase()))
    .executeTakeFirst();
  return row && toEnvironment(row);
}

export async function insertEnvironment(db: Db, environment: Environment): Promise<void> {
  await db
    .insertInto('environments')
    .values({
      id: environment.id,
      name: environment.name,
      kind: environment.kind,
      description: environment.description,
      egress: JSON.stringify(environment.egress),
      created_at: environment.createdAt,
      updated_at: environment.updatedAt,
    })
    .execute();
}

export async function updateEnvironment(db: Db, environment: Environment): Promise<void> {
  await db
    .updateTable('environments')
    .set({
      name: environment.name,
      kind: environment.kind,
      description: environment.description,
      egress: JSON.stringify(environment.egress),
      updated_at: environment.updatedAt,
    })
    .where('id', '=', environment.id)
    .execute();
}

export async function deleteEnvironment(db: Db, id: string): Promise<void> {
  await db.deleteFrom('environments').where('id', '=', id).execute();
}

/** The stored JSON, with a default for any field a hand-edited row lacks. */
function parseEgress(text: string): EgressSettings {
  const stored = JSON.parse(text) as Partial<EgressSettings>;
  const egress = defaultEgress();
  return {
    allowCidrs: Array.isArray(stored.allowCidrs) ? stored.allowCidrs : egress.allowCidrs,
    denyCidrs: Array.isArray(stored.denyCidrs) ? stored.denyCidrs : egress.denyCidrs,
    denyPrivate: stored.denyPrivate === true,
  };
}
