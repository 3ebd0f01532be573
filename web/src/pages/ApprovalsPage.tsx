import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { Link } from 'react-router';
import type { Approval } from '../../../src/contracts/access.ts';
import type { DeploymentResult } from '../../../src/contracts/deployments.ts';
import type { Environment } from '../../../src/contracts/environments.ts';
import { api, ApiError } from '../api/client.ts';
import { Dialog } from '../components/Dialog.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { ApprovalContext } from '../components/pages/ApprovalContext.tsx';
import { useEnvironmentNames } from '../components/pages/useEnvironments.ts';
import { ListFooter, useCursorList } from '../components/pages/cursorList.tsx';
import { StatusLine, useStatus } from '../components/pages/StatusLine.tsx';
import { Time } from '../components/pages/Time.tsx';
import { useCan, useWho } from '../session.tsx';
import '../pages.css';

type Decision = { approval: Approval; verb: 'approve' | 'reject' } | null;
// keep in step with approvalState in src/contracts/access.ts
const states = ['pending', 'approved', 'rejected', 'expired'] as const;
const stateTone = { pending: 'warn', approved: 'ok', rejected: 'bad', expired: 'info' };

type Outcome = {
  approval: Approval;
  deployment: DeploymentResult | null;
  environment: Environment | null;
};

type Named = (id: string) => string;

/** What an approval approves, in words: "undeploy revision 3 of crm from Production". */
function describeRequest(approval: Approval, env: Named): string {
  const where = env(approval.environment);
  switch (approval.action) {
    case 'deploy':
      return `deploy revision ${approval.revision} of ${approval.connection} to ${where}`;
    case 'undeploy':
      return `undeploy revision ${approval.revision} of ${approval.connection} from ${where}`;
    case 'environment-kind':
      return `make environment ${where} ${approval.kind}-kind`;
  }
}

/** The accessible name of a decision button, e.g. "Approve crm revision 3 to Production". */
function decisionLabel(verb: 'Approve' | 'Reject', approval: Approval, env: Named): string {
  return approval.action === 'deploy'
    ? `${verb} ${approval.connection} revision ${approval.revision} to ${env(approval.environment)}`
    : `${verb}: ${describeRequest(approval, env)}`;
}

/** The request as a table cell: the connection links to its page. */
function RequestCell({ approval, env }: { approval: Approval; env: Named }) {
  if (approval.action === 'environment-kind' || approval.connectionId === null) {
    return (
      <>
        Kind of {env(approval.environment)} → {approval.kind}
      </>
    );
  }
  return (
    <>
      {approval.action === 'undeploy' ? 'Undeploy ' : ''}
      <Link to={`/connections/${approval.connectionId}`}>{approval.connection}</Link> revision{' '}
      {approval.revision} {approval.action === 'undeploy' ? '✕' : '→'} {env(approval.environment)}
    </>
  );
}

/** FORBIDDEN with reason own_request: the requester asked to approve their own deploy. */
function isOwnRequest(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    error.code === 'FORBIDDEN' &&
    error.details?.reason === 'own_request'
  );
}

export function ApprovalsPage() {
  const isAdmin = useCan('admin');
  const who = useWho();
  const env = useEnvironmentNames();
  const [decision, setDecision] = useState<Decision>(null);
  const [state, setState] = useState('');
  const [reviewing, setReviewing] = useState<string | null>(null);
  const { said, say } = useStatus();
  const pending = useCursorList<Approval>(
    ['approvals'],
    '/approvals',
    { state: 'pending', limit: 50 },
    { refetchIntervalMs: 15_000 },
  );
  const all = useCursorList<Approval>(['approvals'], '/approvals', {
    state: state || undefined,
    limit: 50,
  });
  const isMine = (approval: Approval) => approval.requestedBy === who.user.username;

  return (
    <section className="page">
      <div className="page-head">
        <h1>Approvals</h1>
      </div>
      <p className="hint page-hint">
        Deploying a critical connection to production, undeploying one from there, and changing a
        production environment’s kind wait for a second admin. The admin who asked cannot approve it
        (they can withdraw it by rejecting).
      </p>
      <StatusLine said={said} />

      <section className="panel" aria-labelledby="pending-head">
        <h2 id="pending-head">Waiting for a decision</h2>
        {pending.rows.length > 0 && (
          <div className="table-wrap">
            <table
              className="table"
              aria-label="Pending approvals"
              aria-busy={pending.list.isFetching}
            >
              <thead>
                <tr>
                  <th scope="col">Request</th>
                  <th scope="col">Asked by</th>
                  <th scope="col">Expires</th>
                  <th scope="col">
                    <span className="visually-hidden">Decision</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {pending.rows.map((approval) => (
                  <Fragment key={approval.id}>
                    <tr data-approval={approval.id}>
                      <th scope="row">
                        <RequestCell approval={approval} env={env} />{' '}
                        <button
                          type="button"
                          className="link-button"
                          aria-label={`What changes if approved: ${describeRequest(approval, env)}`}
                          aria-expanded={reviewing === approval.id}
                          aria-controls={
                            reviewing === approval.id ? `changes-${approval.id}` : undefined
                          }
                          onClick={() =>
                            setReviewing((was) => (was === approval.id ? null : approval.id))
                          }
                        >
                          What changes
                        </button>
                      </th>
                      <td>
                        {approval.requestedBy}
                        {isMine(approval) && <span className="badge">you</span>}{' '}
                        <Time value={approval.requestedAt} />
                      </td>
                      <td>
                        <Time value={approval.expiresAt} />
                      </td>
                      <td className="actions nowrap">
                        <button
                          type="button"
                          className="button ok small"
                          disabled={!isAdmin || isMine(approval)}
                          title={
                            !isAdmin
                              ? 'Admins decide approvals'
                              : isMine(approval)
                                ? 'You asked for this: another admin must approve it'
                                : undefined
                          }
                          aria-label={decisionLabel('Approve', approval, env)}
                          onClick={() => setDecision({ approval, verb: 'approve' })}
                        >
                          Approve
                        </button>{' '}
                        <button
                          type="button"
                          className="button small"
                          disabled={!isAdmin}
                          title={isAdmin ? undefined : 'Admins decide approvals'}
                          aria-label={decisionLabel('Reject', approval, env)}
                          onClick={() => setDecision({ approval, verb: 'reject' })}
                        >
                          {isMine(approval) ? 'Withdraw' : 'Reject'}
                        </button>
                      </td>
                    </tr>
                    {reviewing === approval.id && (
                      <tr className="detail-row" id={`changes-${approval.id}`}>
                        <td colSpan={4}>
                          <ApprovalContext approval={approval} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <ListFooter
          list={pending.list}
          count={pending.rows.length}
          empty="Nothing waits for a decision: requests that need a second admin appear here."
        />
      </section>

      <section className="panel" aria-labelledby="all-head">
        <div className="section-head">
          <h2 id="all-head">All approvals</h2>
          <div className="field inline">
            <label htmlFor="approvals-state">State</label>
            <select id="approvals-state" value={state} onChange={(e) => setState(e.target.value)}>
              <option value="">Any</option>
              {states.map((option) => (
                <option key={option}>{option}</option>
              ))}
            </select>
          </div>
        </div>
        {all.rows.length > 0 && (
          <div className="table-wrap">
            <table className="table" aria-label="All approvals" aria-busy={all.list.isFetching}>
              <thead>
                <tr>
                  <th scope="col">Request</th>
                  <th scope="col">State</th>
                  <th scope="col">Asked by</th>
                  <th scope="col">Decided by</th>
                  <th scope="col">Comment</th>
                </tr>
              </thead>
              <tbody>
                {all.rows.map((approval) => (
                  <tr key={approval.id}>
                    <th scope="row">
                      <RequestCell approval={approval} env={env} />
                    </th>
                    <td>
                      <span className={`pill ${stateTone[approval.state]}`}>{approval.state}</span>
                    </td>
                    <td>
                      {approval.requestedBy} <Time value={approval.requestedAt} />
                    </td>
                    <td>
                      {approval.decidedBy ? (
                        <>
                          {approval.decidedBy} <Time value={approval.decidedAt} />
                        </>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td className="message">{approval.comment ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <ListFooter
          list={all.list}
          count={all.rows.length}
          empty={state ? `No ${state} approvals.` : 'No approvals have been asked for yet.'}
        />
      </section>

      {decision && (
        <DecisionDialog
          decision={decision}
          onClose={() => setDecision(null)}
          onDone={(text) => {
            setDecision(null);
            say(text);
          }}
        />
      )}
    </section>
  );
}

function DecisionDialog({
  decision,
  onClose,
  onDone,
}: {
  decision: NonNullable<Decision>;
  onClose(): void;
  onDone(text: string): void;
}) {
  const queryClient = useQueryClient();
  const env = useEnvironmentNames();
  const { approval, verb } = decision;
  const [comment, setComment] = useState('');
  const decide = useMutation({
    mutationFn: () =>
      api<Outcome | Approval>('POST', `/approvals/${approval.id}/${verb}`, {
        body: comment.trim() ? { comment: comment.trim() } : {},
      }),
    onSuccess: async (answer) => {
      await queryClient.invalidateQueries({ queryKey: ['approvals'] });
      await queryClient.invalidateQueries({ queryKey: ['connections'] });
      await queryClient.invalidateQueries({ queryKey: ['environments'] });
      onDone(
        !('approval' in answer)
          ? `Rejected: nothing was changed (${describeRequest(approval, env)}).`
          : answer.deployment
            ? `Approved: ${answer.deployment.message}.`
            : `Approved: ${answer.environment?.name ?? env(approval.environment)} is ${answer.environment?.kind ?? approval.kind}-kind now.`,
      );
    },
  });
  const isDeploy = approval.action === 'deploy';
  const what = isDeploy
    ? `the deploy of revision ${approval.revision} of ${approval.connection} to ${env(approval.environment)}`
    : `the request to ${describeRequest(approval, env)}`;
  return (
    <Dialog title={verb === 'approve' ? `Approve ${what}?` : `Reject ${what}?`} onClose={onClose}>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          decide.mutate();
        }}
      >
        <p>
          {approval.requestedBy} asked <Time value={approval.requestedAt} />.{' '}
          {verb === 'approve'
            ? 'Approving makes the change now, in your name.'
            : 'Rejecting changes nothing; they can ask again.'}
        </p>
        <ApprovalContext approval={approval} />
        <div className="field">
          <label htmlFor="decision-comment">Comment</label>
          <textarea
            id="decision-comment"
            rows={3}
            maxLength={1000}
            value={comment}
            onChange={(event) => setComment(event.target.value)}
          />
        </div>
        {decide.error &&
          (isOwnRequest(decide.error) ? (
            <p className="banner error" role="alert">
              You asked for this yourself, so you cannot approve it: another admin must. (FORBIDDEN,
              own_request)
            </p>
          ) : (
            <ErrorNote error={decide.error} />
          ))}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className={`button ${verb === 'approve' ? 'ok' : 'danger'}`}
            disabled={decide.isPending}
          >
            {verb === 'reject' ? 'Reject' : isDeploy ? 'Approve and deploy' : 'Approve'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
