import type { Connection } from '../../../../../src/contracts/connections.ts';
import type { MenuItem } from '../../Menu.tsx';

/** What a row's ⋮ menu asks the page for. */
export interface RowActions {
  canEdit: boolean;
  open(path: string): void;
  /** a dialog first: duplicate (its name), disable (confirmation), move, delete */
  ask(kind: 'duplicate' | 'disable' | 'move' | 'delete', connection: Connection): void;
  enable(connection: Connection): void;
  exportOne(connection: Connection): void;
}

/**
 * Open (its overview), Edit, Duplicate, Test, Deploy, Disable or Enable, Move to Global,
 * Export, Delete. Disable asks first and offers Undo; Enable needs neither.
 */
export function rowMenu(connection: Connection, actions: RowActions): MenuItem[] {
  const base = `/connections/${connection.id}`;
  const { canEdit } = actions;
  return [
    { label: 'Open', onSelect: () => actions.open(base) },
    { label: 'Edit', onSelect: () => actions.open(`${base}/edit`), disabled: !canEdit },
    {
      label: 'Duplicate',
      onSelect: () => actions.ask('duplicate', connection),
      disabled: !canEdit,
    },
    { label: 'Test', onSelect: () => actions.open(`${base}/edit?test=1`), disabled: !canEdit },
    { label: 'Deploy', onSelect: () => actions.open(`${base}/edit?deploy=1`), disabled: !canEdit },
    connection.enabled
      ? {
          label: 'Disable',
          disabled: !canEdit,
          onSelect: () => actions.ask('disable', connection),
        }
      : { label: 'Enable', disabled: !canEdit, onSelect: () => actions.enable(connection) },
    {
      label: 'Move to Global',
      disabled: !canEdit || connection.global,
      onSelect: () => actions.ask('move', connection),
    },
    { label: 'Export', onSelect: () => actions.exportOne(connection) },
    {
      label: 'Delete',
      danger: true,
      disabled: !canEdit,
      onSelect: () => actions.ask('delete', connection),
    },
  ];
}
