// Test Connection, Save and Save and Deploy as requests, and what their answers mean for the
// page: expected refusals (a conflict, a field problem, a deploy waiting for approval) come back
// as values; a VALIDATION_FAILED of a test is thrown (its paths are the draft's).
import type { Connection, ConnectionInput } from '../../../../src/contracts/connections.ts';
import type { TestResult } from '../../../../src/contracts/invoke.ts';
import { api, ApiError, get } from '../../api/client.ts';
import { errorText } from '../ErrorNote.tsx';
import { deployedNotice, deployRefusal, type Notice } from './outcomes.tsx';

export type SaveOutcome =
  /** saved (and deployed, or not): `connection` is the new state */
  | { kind: 'saved'; connection: Connection; notice: Notice }
  /** a new connection: the page moves to its edit URL */
  | { kind: 'created'; connection: Connection; notice: Notice }
  /** someone else saved meanwhile: their revision (undefined when it could not be read) */
  | { kind: 'conflict'; revision: number; theirs: Connection | undefined }
  /** VALIDATION_FAILED or CONNECTION_NAME_TAKEN: problems for the fields */
  | { kind: 'invalid'; error: ApiError }
  /** refused or failed; `connection` when it was saved nevertheless */
  | { kind: 'refused'; notice: Notice; connection?: Connection };

export interface DeployTarget {
  id: string;
  name: string;
}

function isInvalid(error: unknown): error is ApiError {
  return (
    error instanceof ApiError &&
    (error.code === 'VALIDATION_FAILED' || error.code === 'CONNECTION_NAME_TAKEN')
  );
}

/** POST /connections, then (Save and Deploy) POST /connections/{id}/deploy. */
export async function createConnection(
  body: ConnectionInput,
  deployTo: DeployTarget | undefined,
): Promise<SaveOutcome> {
  let made: Connection;
  try {
    made = await api<Connection>('POST', '/connections', { body });
  } catch (error) {
    if (isInvalid(error)) return { kind: 'invalid', error };
    return { kind: 'refused', notice: { tone: 'error', text: `Not created: ${errorText(error)}` } };
  }
  let notice: Notice = { tone: 'success', text: `Created ${made.name} (revision 1).` };
  if (deployTo) {
    try {
      await api('POST', `/connections/${made.id}/deploy`, { body: { environment: deployTo.id } });
      made = await get<Connection>(`/connections/${made.id}`);
      notice = deployedNotice(made, deployTo.name, deployTo.id);
    } catch (error) {
      notice = deployRefusal(error, deployTo.name, made);
    }
  }
  return { kind: 'created', connection: made, notice };
}

/** PUT /connections/{id} with If-Match; Save and Deploy adds ?deploy=<environment>. */
export async function replaceConnection(
  was: Connection,
  body: ConnectionInput,
  deployTo: DeployTarget | undefined,
): Promise<SaveOutcome> {
  try {
    const saved = await api<Connection>('PUT', `/connections/${was.id}`, {
      body,
      ifMatch: was.revision,
      query: deployTo ? { deploy: deployTo.id } : undefined,
    });
    const notice: Notice = deployTo
      ? deployedNotice(saved, deployTo.name, deployTo.id, saved.revision === was.revision)
      : {
          tone: 'success',
          text:
            saved.revision === was.revision
              ? `Nothing changed: still revision ${saved.revision}.`
              : `Saved revision ${saved.revision}.`,
        };
    return { kind: 'saved', connection: saved, notice };
  } catch (error) {
    if (isInvalid(error)) return { kind: 'invalid', error };
    if (error instanceof ApiError && error.code === 'REVISION_CONFLICT') {
      // what they saved, for the diff: read now, as the answer names only its number
      const theirs = await get<Connection>(`/connections/${was.id}`).catch(() => undefined);
      return {
        kind: 'conflict',
        revision: theirs?.revision ?? Number(error.details?.revision),
        theirs,
      };
    }
    if (deployTo && error instanceof ApiError && error.code === 'APPROVAL_REQUIRED') {
      // saved: the deploy waits for a second admin
      const saved = await get<Connection>(`/connections/${was.id}`).catch(() => undefined);
      return {
        kind: 'refused',
        notice: deployRefusal(error, deployTo.name, saved ?? null),
        connection: saved,
      };
    }
    if (deployTo && error instanceof ApiError && error.code === 'FORBIDDEN') {
      return { kind: 'refused', notice: deployRefusal(error, deployTo.name, null) };
    }
    return { kind: 'refused', notice: { tone: 'error', text: `Not saved: ${errorText(error)}` } };
  }
}

/**
 * Test Connection in one environment: the saved connection (POST /connections/{id}/test) when
 * `savedId` is given, else the draft (POST /connections/test). A draft test checks every rule
 * of a save, so only this environment is sent, with a stand-in for a name not chosen yet: the
 * URL can be tried before the rest is filled in. Problems come at `connection.<path>`.
 */
export function testConnection(options: {
  environment: string;
  savedId: string | undefined;
  body: ConnectionInput;
  nameIsValid: boolean;
  params: Record<string, string>;
  /** the sample request body, sent as written (a string keeps every byte); '' for none */
  sample: string;
}): Promise<TestResult> {
  const { environment, savedId, body, params, sample } = options;
  const call = { environment, params, ...(sample === '' ? {} : { body: sample }) };
  if (savedId) {
    return api<TestResult>('POST', `/connections/${savedId}/test`, { body: call });
  }
  return api<TestResult>('POST', '/connections/test', {
    body: { ...call, connection: draftForTest(body, environment, options.nameIsValid) },
  });
}

export function draftForTest(body: ConnectionInput, environment: string, nameIsValid: boolean) {
  return {
    name: nameIsValid ? body.name : 'Draft',
    enabled: body.enabled,
    ...(body.global ? { global: true } : { project: body.project }),
    environments: { [environment]: body.environments?.[environment] },
  };
}
