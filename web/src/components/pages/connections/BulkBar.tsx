import { countOf } from './bulk.ts';

export type BulkAction = 'disable' | 'enable' | 'deploy' | 'export' | 'delete';

/**
 * What can be done to the selected rows at once. Shown while any row is selected; a viewer may
 * only export. While an action runs, the others wait.
 */
export function BulkBar({
  count,
  canEdit,
  busy,
  onAction,
  onClear,
}: {
  count: number;
  canEdit: boolean;
  busy: boolean;
  onAction(action: BulkAction): void;
  onClear(): void;
}) {
  const button = (action: BulkAction, label: string, className = 'button') => (
    <button
      type="button"
      className={className}
      disabled={busy || (!canEdit && action !== 'export')}
      onClick={() => onAction(action)}
    >
      {label}
    </button>
  );
  return (
    <div className="bulk-bar" role="toolbar" aria-label={`Act on ${countOf(count)} selected`}>
      <strong className="bulk-count">{countOf(count)} selected</strong>
      {button('disable', 'Disable')}
      {button('enable', 'Enable')}
      {button('deploy', 'Deploy…')}
      {button('export', 'Export')}
      {button('delete', 'Delete…', 'button danger')}
      <button type="button" className="button subtle" disabled={busy} onClick={onClear}>
        Clear selection
      </button>
    </div>
  );
}
