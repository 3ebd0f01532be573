/**
 * Approvals: a second admin's decision on the changes the two-person rule covers — deploys
 * and undeploys of critical connections in production-kind environments, and changes of an
 * environment's kind from (or, with a critical connection running there, to) production.
 */
export {
  /** The approvals API: list, get, approve (makes the change), reject; lapsed ones expire. */
  createApprovalService,
  type ApprovalEvent,
  type ApprovalOutcome,
  type ApprovalService,
} from './approval.service.ts';
export {
  /** The rules: checkDeploy, checkUndeploy, checkKindChange (permissions and approvals). */
  createApprovalGuard,
  type ApprovalGuard,
} from './approval-guard.ts';
export {
  /** "deploy revision 3 of 'crm' to production": what an approval approves, as a phrase. */
  describeApproval,
  type ApprovalSubject,
} from './approval-summary.ts';
