/**
 * Who may do what (DESIGN §1 Users and access). Every API route names one permission (the
 * auth plugin refuses to start a route that does not); a role holds a permission when it is
 * at least the role the permission needs. A token may carry a narrower role than its user:
 * the narrower one counts.
 */
export const roles = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof roles)[number];

/** permission → the least role that holds it */
export const permissionRoles = {
  /** look at configuration, deployments, deliveries, notifications, approvals */
  'config:read': 'viewer',
  /** read the audit log and export it */
  'audit:read': 'viewer',
  /** scrape /metrics */
  'metrics:read': 'viewer',
  /** one's own session, password and API tokens */
  'account:self': 'viewer',
  /** create, change and delete connections, projects, variables, secrets, certificates, key stores */
  'config:write': 'editor',
  /** call connections: invoke, Test Connection, send and replay deliveries */
  'runtime:use': 'editor',
  /** deploy to and undeploy from development- and test-kind environments */
  'deploy:non-production': 'editor',
  /** deploy to and undeploy from production-kind environments */
  'deploy:production': 'admin',
  /** create, change and delete environments (their kind decides who may deploy there) */
  'environments:write': 'admin',
  /** users, and every user's tokens */
  'users:manage': 'admin',
  /** approve or reject another person's deploy of a critical connection */
  'approvals:decide': 'admin',
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof permissionRoles;
/** what a route declares: a permission, or `public` for the few that need no credentials (login) */
export type RoutePermission = Permission | 'public';

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && Object.hasOwn(permissionRoles, value);
}

export function roleRank(role: Role): number {
  return roles.indexOf(role);
}

export function roleAllows(role: Role, permission: Permission): boolean {
  return roleRank(role) >= roleRank(permissionRoles[permission]);
}

/** The narrower of two roles: what a token with `tokenRole` of a user with `userRole` may do. */
export function narrowerRole(userRole: Role, tokenRole: Role | null): Role {
  if (tokenRole === null) return userRole;
  return roleRank(tokenRole) < roleRank(userRole) ? tokenRole : userRole;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}
