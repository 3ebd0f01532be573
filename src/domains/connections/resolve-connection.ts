import { AppError, notFound } from '../../core/errors.ts';
import type { Db } from '../../store/create-store.ts';
import { defaultProjectId } from '../projects/index.ts';
import {
  findConnectionById,
  findConnectionsByName,
  type ConnectionRecord,
} from './connection.repo.ts';

/**
 * Finds the connection an `{id}` path segment means: an id, or else a name. A name is looked
 * up in `project` and among the global connections; without a project, in `default` and the
 * global ones, then in any project (CONNECTION_NAME_AMBIGUOUS when several projects have it).
 */
export async function resolveConnection(
  db: Db,
  idOrName: string,
  options: { project?: string } = {},
): Promise<ConnectionRecord> {
  const byId = await findConnectionById(db, idOrName);
  if (byId) return byId;

  const candidates = await findConnectionsByName(db, idOrName);
  const inProject = (project: string) =>
    candidates.find((c) => c.projectId?.toLowerCase() === project.toLowerCase());
  const global = candidates.find((c) => c.projectId === null);

  const found = inProject(options.project ?? defaultProjectId) ?? global;
  if (found) return found;
  if (options.project === undefined) {
    if (candidates.length === 1 && candidates[0]) return candidates[0];
    if (candidates.length > 1) {
      const projects = candidates.map((c) => c.projectId).sort();
      throw new AppError(
        'CONNECTION_NAME_AMBIGUOUS',
        `connection '${idOrName}' exists in projects ${projects.map((p) => `'${p}'`).join(', ')}; add ?project=<id> or use the id`,
        { name: idOrName, projects },
      );
    }
  }
  throw notFound('connection', idOrName);
}
