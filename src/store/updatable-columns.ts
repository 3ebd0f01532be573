/** The columns of a row that never change once it is inserted: identity and creation. */
type FixedColumns = 'id' | 'name_key' | 'created_at' | 'created_by';

/** What an update of a named row may set: every column but its identity and creation. */
export function updatableColumns<R extends Record<FixedColumns, unknown>>(
  row: R,
): Omit<R, FixedColumns> {
  const changed: Partial<R> = { ...row };
  delete changed.id;
  delete changed.name_key;
  delete changed.created_at;
  delete changed.created_by;
  return changed as Omit<R, FixedColumns>;
}
