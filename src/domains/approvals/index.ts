/** Approvals: a second admin's decision on deploys of critical connections to production. */
export {
  /** The approvals API: list, get, approve (deploys), reject; lapsed ones expire. */
  createApprovalService,
  type ApprovalEvent,
  type ApprovalService,
} from './approval.service.ts';
export {
  /** The deploy rule: deploy:production for production-kind, approvals for critical. */
  createApprovalGuard,
} from './approval-guard.ts';
