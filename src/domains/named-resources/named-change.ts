import type { AppError } from '../../core/errors.ts';
import type { Store, Tx } from '../../store/create-store.ts';
import { isUniqueNameViolation } from '../../store/unique-name-violation.ts';

/** Thrown inside a transaction when the unique name index fires; answered after the rollback. */
export class NameIndexViolation extends Error {}

/**
 * Runs an insert of a named row; the unique index `<table>_name_key` firing (a concurrent
 * create that the name lock did not serialise) becomes a NameIndexViolation.
 */
export async function insertNamed(table: string, insert: () => Promise<void>): Promise<void> {
  try {
    await insert();
  } catch (error) {
    if (isUniqueNameViolation(error, table)) throw new NameIndexViolation();
    throw error;
  }
}

/**
 * The `change(work, name?)` of a named-resource service: one transaction; a
 * NameIndexViolation becomes `nameTaken(name)` after the rollback; a change the work reports
 * goes to `afterCommit` (drop caches, tell listeners) only once it is committed.
 */
export function createChangeRunner<C>(deps: {
  store: Store;
  nameTaken: (name: string) => AppError;
  afterCommit: (change: C) => void;
}) {
  return async function change<T>(
    work: (tx: Tx) => Promise<{ result: T; change?: C }>,
    name?: string,
  ): Promise<T> {
    let outcome: { result: T; change?: C };
    try {
      outcome = await deps.store.transaction(work);
    } catch (error) {
      if (error instanceof NameIndexViolation && name !== undefined) throw deps.nameTaken(name);
      throw error;
    }
    if (outcome.change !== undefined) deps.afterCommit(outcome.change);
    return outcome.result;
  };
}
