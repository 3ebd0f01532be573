import { notFound } from '../../core/errors.ts';
import type {
  Connection,
  ConnectionList,
  ConnectionListQuery,
  NameExists,
  NameExistsQuery,
  Revision,
  RevisionSummary,
} from '../../contracts/connections.ts';
import type { DeploymentState } from '../../contracts/deployments.ts';
import type { Db, Store } from '../../store/create-store.ts';
import type { EnvironmentService } from '../environments/index.ts';
import type { ProjectService } from '../projects/index.ts';
import { toConnection } from './connection-view.ts';
import { countConnections, findNameHolders, listConnections } from './connection.repo.ts';
import {
  decodeConnectionCursor,
  decodeRevisionCursor,
  encodeConnectionCursor,
  encodeRevisionCursor,
} from './list-cursor.ts';
import { resolveConnection } from './resolve-connection.ts';
import { findRevision, listRevisions } from './revision.repo.ts';

export interface ConnectionQueryDeps {
  store: Store;
  environments: EnvironmentService;
  projects: ProjectService;
  /**
   * The revision each environment runs, for several connections in one query (the
   * deployments domain); absent: answers carry no `deployments`.
   */
  readDeployments?: ReadDeployments;
}

export type ReadDeployments = (
  db: Db,
  connectionIds: readonly string[],
) => Promise<Map<string, Record<string, DeploymentState>>>;

/**
 * Adds each connection's `deployments` with one query for all of them (a list page costs one
 * query more, not one per row).
 */
export async function attachDeployments<T extends Connection>(
  db: Db,
  readDeployments: ReadDeployments | undefined,
  connections: T[],
): Promise<T[]> {
  if (!readDeployments || connections.length === 0) return connections;
  const states = await readDeployments(
    db,
    connections.map((c) => c.id),
  );
  return connections.map((c) => ({ ...c, deployments: states.get(c.id) ?? {} }));
}

/** The reads of the connection service: lists, the name check, one connection, revisions. */
export function createConnectionQueries(deps: ConnectionQueryDeps) {
  const { store } = deps;

  return {
    /** One page of what the filters select, in the order asked, and how many they select. */
    async list(query: ConnectionListQuery): Promise<ConnectionList> {
      const projectId = query.project && (await deps.projects.get(query.project)).id;
      const environmentId =
        query.environment && (await deps.environments.get(query.environment)).id;
      const filter = {
        projectId,
        environmentId,
        global: query.global,
        enabled: query.enabled,
        search: query.q,
        ids: query.ids,
      };
      const { sort } = query;
      const after =
        query.cursor === undefined ? undefined : decodeConnectionCursor(query.cursor, sort);
      const [rows, total] = await Promise.all([
        listConnections(store.db, { ...filter, sort, after, limit: query.limit + 1 }),
        countConnections(store.db, filter),
      ]);
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: await attachDeployments(store.db, deps.readDeployments, page.map(toConnection)),
        next:
          rows.length > query.limit && last
            ? encodeConnectionCursor(
                sort === 'name'
                  ? { sort, nameKey: last.nameKey, id: last.id }
                  : { sort, updatedAt: last.updatedAt, id: last.id },
              )
            : null,
        total,
      };
    },

    /** Whether saving `name` there would clash, and with which connection. */
    async nameExists(query: NameExistsQuery): Promise<NameExists> {
      let projectId: string | null = null;
      if (!query.global) {
        const projects = await deps.projects.list();
        projectId =
          projects.find((p) => p.id.toLowerCase() === query.project.toLowerCase())?.id ??
          query.project;
      }
      const [holder] = await findNameHolders(store.db, query.name, {
        projectId,
        excludeId: query.exclude,
      });
      return holder
        ? { exists: true, conflict: { id: holder.id, project: holder.projectId } }
        : { exists: false };
    },

    async get(idOrName: string, options: { project?: string } = {}): Promise<Connection> {
      const connection = toConnection(await resolveConnection(store.db, idOrName, options));
      const [withState] = await attachDeployments(store.db, deps.readDeployments, [connection]);
      return withState ?? connection;
    },

    /**
     * The connection `idOrName` means, read through `db` (the caller's transaction may be
     * it), without its deployments: for another domain's rules (deployments).
     */
    async find(db: Db, idOrName: string, options: { project?: string } = {}): Promise<Connection> {
      return toConnection(await resolveConnection(db, idOrName, options));
    },

    /** Newest first. */
    async listRevisions(
      idOrName: string,
      page: { limit: number; cursor?: string; project?: string },
    ): Promise<{ items: RevisionSummary[]; next: string | null }> {
      const connection = await resolveConnection(store.db, idOrName, page);
      const rows = await listRevisions(store.db, connection.id, {
        beforeRevision: page.cursor === undefined ? undefined : decodeRevisionCursor(page.cursor),
        limit: page.limit + 1,
      });
      const items = rows.slice(0, page.limit);
      const last = items.at(-1);
      return {
        items,
        next: rows.length > page.limit && last ? encodeRevisionCursor(last.revision) : null,
      };
    },

    async getRevision(
      idOrName: string,
      revision: number,
      options: { project?: string } = {},
    ): Promise<Revision> {
      const connection = await resolveConnection(store.db, idOrName, options);
      const found = await findRevision(store.db, connection.id, revision);
      if (!found) throw notFound('revision', `${connection.spec.name}@${revision}`);
      return found;
    },
  };
}
