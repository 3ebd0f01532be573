import type { Actor } from '../../core/context.ts';
import type { Tx } from '../../store/create-store.ts';
import type { AuditService } from '../audit/index.ts';

/**
 * The `recordAudit(tx, actor, action, before, after)` of a named-resource service: one audit
 * record in the change's transaction, targeting the resource by id and name, with `before` /
 * `after` as `view` shows them (never a secret value: each service passes a view without one).
 */
export function createAuditRecorder<R extends { id: string; name: string }>(
  audit: Pick<AuditService, 'record'>,
  targetType: string,
  view: (record: R) => unknown,
) {
  return async function recordAudit(
    tx: Tx,
    actor: Actor,
    action: string,
    before: R | undefined,
    after: R | undefined,
  ): Promise<void> {
    const target = (after ?? before) as R;
    await audit.record(tx, {
      actor,
      action,
      targetType,
      targetId: target.id,
      targetName: target.name,
      ...(before ? { before: view(before) } : {}),
      ...(after ? { after: view(after) } : {}),
    });
  };
}
