import type { Db } from '../../store/create-store.ts';
import type { Project } from '../../contracts/projects.ts';
import type { ProjectsTable } from '../../store/database.ts';

function toProject(row: ProjectsTable): Project {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function listProjects(db: Db): Promise<Project[]> {
  const rows = await db.selectFrom('projects').selectAll().orderBy('id').execute();
  return rows.map(toProject);
}

/** Finds by id, ignoring case. */
export async function findProject(db: Db, id: string): Promise<Project | undefined> {
  const row = await db
    .selectFrom('projects')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['id']), '=', id.toLowerCase()))
    .executeTakeFirst();
  return row && toProject(row);
}

export async function insertProject(db: Db, project: Project): Promise<void> {
  await db
    .insertInto('projects')
    .values({
      id: project.id,
      name: project.name,
      description: project.description,
      created_at: project.createdAt,
      updated_at: project.updatedAt,
    })
    .execute();
}

export async function updateProject(db: Db, project: Project): Promise<void> {
  await db
    .updateTable('projects')
    .set({ name: project.name, description: project.description, updated_at: project.updatedAt })
    .where('id', '=', project.id)
    .execute();
}

export async function deleteProject(db: Db, id: string): Promise<void> {
  await db.deleteFrom('projects').where('id', '=', id).execute();
}
