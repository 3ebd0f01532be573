/** Projects: namespaces for connections (`default` is seeded). */
export {
  /** Creates the project service (list, get, create, update, remove, seed). */
  createProjectService,
  defaultProjectId,
  type ProjectService,
} from './project.service.ts';
