// How invoke, deliver and test differ, and the caller's mistakes a call refuses as a 400
// (VALIDATION_FAILED) rather than answering as an outcome that would blame the target.
import { validationFailed } from '../../core/errors.ts';
import {
  bodySecretRefusedReason,
  describeBodySecrets,
  TemplateUnresolvedError,
} from '../render/index.ts';

/** How a kind of call runs. */
export interface CallMode {
  /** a new connection, not the pool (Test Connection) */
  fresh: boolean;
  retry: boolean;
  countInMetrics: boolean;
  /**
   * A `{{secret.*}}` in the caller's body is a 400 (VALIDATION_FAILED at `body`) rather than
   * an outcome: invoke and test answer the caller; a delivery was accepted before it is sent.
   */
  refuseBodySecrets: boolean;
  /**
   * A `{{param.*}}` without a value is the caller's mistake, answered 400 VALIDATION_FAILED at
   * `params.NAME` (as a delivery's accept does): not an outcome, not counted, not notified —
   * the target is not to blame. A delivery's params were checked when it was accepted.
   */
  refuseMissingParams: boolean;
}

export const invokeMode: CallMode = {
  fresh: false,
  retry: true,
  countInMetrics: true,
  refuseBodySecrets: true,
  refuseMissingParams: true,
};
export const deliverMode: CallMode = {
  fresh: false,
  retry: false,
  countInMetrics: true,
  refuseBodySecrets: false,
  refuseMissingParams: false,
};
export const testMode: CallMode = {
  fresh: true,
  retry: false,
  countInMetrics: false,
  refuseBodySecrets: true,
  refuseMissingParams: true,
};

/** A render refused a `{{secret.*}}` of the caller's body: VALIDATION_FAILED at `body`. */
export function throwIfBodySecrets(error: unknown): void {
  if (!(error instanceof TemplateUnresolvedError)) return;
  const references = error.refused
    .filter((refused) => refused.reason === bodySecretRefusedReason)
    .map((refused) => refused.reference);
  if (references.length === 0) return;
  throw validationFailed([{ path: 'body', message: describeBodySecrets(references) }]);
}

/** Throws VALIDATION_FAILED naming each `params.NAME` a render found without a value. */
export function throwIfParamsMissing(error: unknown): void {
  if (!(error instanceof TemplateUnresolvedError)) return;
  const names = error.missing
    .filter((reference) => reference.startsWith('param.'))
    .map((reference) => reference.slice('param.'.length));
  if (names.length === 0) return;
  throw validationFailed(
    names.map((name) => ({
      path: `params.${name}`,
      message: `the connection uses {{param.${name}}}: give it a value`,
    })),
  );
}
