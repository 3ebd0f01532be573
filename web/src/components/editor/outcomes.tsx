// What the editor says after Save, Save and Deploy: the notices, built from answers and errors.
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { Connection } from '../../../../src/contracts/connections.ts';
import { ApiError } from '../../api/client.ts';
import { errorText } from '../ErrorNote.tsx';

export type Tone = 'success' | 'info' | 'error' | 'warning';

/** Serializable (it travels in history state from /connections/new to the edit URL). */
export interface Notice {
  tone: Tone;
  text: string;
  /** an approval a deploy waits for */
  approvalId?: string;
}

export function NoticeBanner({ notice }: { notice: Notice }) {
  let extra: ReactNode = null;
  if (notice.approvalId) {
    extra = (
      <>
        {' '}
        <Link to="/approvals">Open Approvals</Link>
      </>
    );
  }
  return (
    <p className={`banner ${notice.tone} ed-notice`} data-tone={notice.tone}>
      {notice.tone === 'success' && <span aria-hidden="true">✓ </span>}
      {notice.text}
      {extra}
    </p>
  );
}

/** After a save that also deployed: what runs where now. */
export function deployedNotice(
  saved: Connection,
  environmentName: string,
  env: string,
  unchanged = false,
): Notice {
  const running = saved.deployments?.[env]?.revision;
  if (running === saved.revision) {
    return {
      tone: 'success',
      text: unchanged
        ? `Nothing to save; revision ${saved.revision} is deployed to ${environmentName}.`
        : `Saved revision ${saved.revision} and deployed it to ${environmentName}.`,
    };
  }
  return {
    tone: 'warning',
    text: `Saved revision ${saved.revision}; ${environmentName} runs ${
      running === undefined ? 'nothing' : `revision ${running}`
    }.`,
  };
}

/**
 * A refused deploy as a notice: waiting for approval is not an error (the revision is saved
 * and waits for a second admin); a missing permission says who may deploy there.
 */
export function deployRefusal(
  error: unknown,
  environmentName: string,
  saved: { revision: number } | null,
): Notice {
  const savedText = saved ? `Saved revision ${saved.revision}. ` : '';
  if (error instanceof ApiError && error.code === 'APPROVAL_REQUIRED') {
    const approvalId = String(error.details?.approvalId ?? '');
    return {
      tone: 'info',
      text: `${savedText}Deploying it to ${environmentName} waits for approval ${approvalId}: this connection is critical, so another admin approves the deploy.`,
      approvalId,
    };
  }
  if (error instanceof ApiError && error.code === 'FORBIDDEN') {
    const permission = String(error.details?.permission ?? '');
    const role = String(error.details?.role ?? '');
    const needs =
      permission === 'deploy:production'
        ? `Deploying to ${environmentName} (a production environment) needs an admin`
        : `Deploying to ${environmentName} needs ${permission || 'a permission you do not have'}`;
    return {
      tone: 'error',
      text: `${saved ? savedText : 'Nothing was saved. '}${needs}${
        role ? `; you act as ${role}` : ''
      }. ${saved ? 'Ask an admin to deploy it.' : 'Use Save, then ask an admin to deploy.'}`,
    };
  }
  return { tone: 'error', text: `${savedText}The deploy was refused: ${errorText(error)}` };
}
