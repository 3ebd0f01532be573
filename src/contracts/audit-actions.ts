// Every action an audit record can name, as `<target type>.<verb>`: a closed list so the
// console's audit filter can suggest them and a test (audit-actions.test.ts) can check that the
// code writes no other. Plain data, no zod: the console imports it without the schema library.

/** What the services record as `targetType`. */
export const auditTargetTypes = [
  'approval',
  'audit',
  'certificate',
  'connection',
  'environment',
  'keystore',
  'project',
  'secret',
  'token',
  'user',
  'variable',
] as const;

export const auditActions = [
  'approval.approve',
  'approval.expire',
  'approval.reject',
  'approval.request',
  'audit.prune',
  'certificate.create',
  'certificate.delete',
  'certificate.replace',
  'connection.create',
  'connection.delete',
  'connection.deploy',
  'connection.disable',
  'connection.duplicate',
  'connection.enable',
  'connection.export',
  'connection.move-to-global',
  'connection.rollback',
  'connection.undeploy',
  'connection.update',
  'environment.create',
  'environment.delete',
  'environment.update',
  'keystore.create',
  'keystore.delete',
  'keystore.replace',
  'project.create',
  'project.delete',
  'project.update',
  'secret.create',
  'secret.delete',
  'secret.rotate',
  'secret.update',
  'session.login',
  'session.logout',
  'token.create',
  'token.revoke',
  'user.create',
  'user.password_change',
  'user.update',
  'variable.create',
  'variable.delete',
  'variable.update',
] as const;

export type AuditAction = (typeof auditActions)[number];
export type AuditTargetType = (typeof auditTargetTypes)[number];
