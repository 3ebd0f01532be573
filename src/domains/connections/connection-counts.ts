import type { Db } from '../../store/create-store.ts';

export async function countConnectionsUsingEnvironment(
  db: Db,
  environmentId: string,
): Promise<number> {
  const row = await db
    .selectFrom('connection_environments')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('environment_id', '=', environmentId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function countConnectionsInProject(db: Db, projectId: string): Promise<number> {
  const row = await db
    .selectFrom('connections')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('project_id', '=', projectId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
