import type { Approval } from '../../contracts/access.ts';

/** What an approval approves, as a phrase: "deploy revision 3 of 'crm' to production". */
export type ApprovalSubject = Pick<
  Approval,
  'action' | 'connection' | 'environment' | 'revision' | 'kind'
>;

/** The phrase audit records, notifications and the CLI use for what an approval approves. */
export function describeApproval(subject: ApprovalSubject): string {
  switch (subject.action) {
    case 'deploy':
      return `deploy revision ${subject.revision} of '${subject.connection}' to ${subject.environment}`;
    case 'undeploy':
      return `undeploy revision ${subject.revision} of '${subject.connection}' from ${subject.environment}`;
    case 'environment-kind':
      return `make environment '${subject.environment}' ${subject.kind}-kind`;
  }
}

/** The audit record's target name of an approval: `crm → production`, `production → test`. */
export function approvalTargetName(subject: ApprovalSubject): string {
  return subject.action === 'environment-kind'
    ? `${subject.environment} → ${subject.kind}`
    : `${subject.connection} → ${subject.environment}`;
}
