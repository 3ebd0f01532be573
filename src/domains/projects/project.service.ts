import { isDeepStrictEqual } from 'node:util';
import type { Clock } from '../../core/clock.ts';
import { systemActor, type Actor } from '../../core/context.ts';
import { AppError, notFound } from '../../core/errors.ts';
import type { Project, ProjectIn, ProjectPatch } from '../../contracts/projects.ts';
import type { Db, Store } from '../../store/create-store.ts';
import type { AuditService } from '../audit/index.ts';
import {
  deleteProject,
  findProject,
  insertProject,
  listProjects,
  updateProject,
} from './project.repo.ts';

export const defaultProjectId = 'default';

export interface ProjectServiceDeps {
  store: Store;
  clock: Clock;
  audit: AuditService;
  /** how many connections live in the project (deleting a project that holds some is refused) */
  countConnectionsIn: (db: Db, projectId: string) => Promise<number>;
}

export function createProjectService(deps: ProjectServiceDeps) {
  const { store, clock, audit } = deps;

  async function get(id: string, db: Db = store.db): Promise<Project> {
    const project = await findProject(db, id);
    if (!project) throw notFound('project', id);
    return project;
  }

  async function create(input: ProjectIn, actor: Actor): Promise<Project> {
    return store.transaction(async (tx) => {
      await store.lock(tx, `project:${input.id.toLowerCase()}`);
      const existing = await findProject(tx, input.id);
      if (existing)
        throw new AppError('PROJECT_EXISTS', `project '${existing.id}' already exists`, {
          id: existing.id,
        });
      const now = clock.now().toISOString();
      const project: Project = { ...input, createdAt: now, updatedAt: now };
      await insertProject(tx, project);
      await audit.record(tx, {
        actor,
        action: 'project.create',
        targetType: 'project',
        targetId: project.id,
        targetName: project.name,
        after: project,
      });
      return project;
    });
  }

  return {
    get,
    create,
    list: () => listProjects(store.db),

    async update(id: string, patch: ProjectPatch, actor: Actor): Promise<Project> {
      return store.transaction(async (tx) => {
        const before = await get(id, tx);
        const after: Project = { ...before, ...patch };
        // nothing changed: nothing written, no audit record (an editor's loop of PATCHes)
        if (isDeepStrictEqual(before, after)) return before;
        after.updatedAt = clock.now().toISOString();
        await updateProject(tx, after);
        await audit.record(tx, {
          actor,
          action: 'project.update',
          targetType: 'project',
          targetId: after.id,
          targetName: after.name,
          before,
          after,
        });
        return after;
      });
    },

    async remove(id: string, actor: Actor): Promise<void> {
      await store.transaction(async (tx) => {
        const before = await get(id, tx);
        if (before.id === defaultProjectId) {
          throw new AppError(
            'PROJECT_IN_USE',
            `the '${defaultProjectId}' project cannot be deleted`,
          );
        }
        const held = await deps.countConnectionsIn(tx, before.id);
        if (held > 0) {
          throw new AppError(
            'PROJECT_IN_USE',
            `project '${before.id}' still holds ${held} connection(s)`,
            {
              connections: held,
            },
          );
        }
        await deleteProject(tx, before.id);
        await audit.record(tx, {
          actor,
          action: 'project.delete',
          targetType: 'project',
          targetId: before.id,
          targetName: before.name,
          before,
        });
      });
    },

    /** Creates the `default` project when it is missing. */
    async seed(): Promise<void> {
      if (await findProject(store.db, defaultProjectId)) return;
      await create({ id: defaultProjectId, name: 'Default', description: '' }, systemActor);
    },
  };
}

export type ProjectService = ReturnType<typeof createProjectService>;
