/**
 * Whether a write failed on the unique index `<table>_name_key`. SQLite: "UNIQUE constraint
 * failed: <table>.name_key" (or "index '<table>_name_key'"); PostgreSQL: 23505 naming the index.
 */
export function isUniqueNameViolation(error: unknown, table: string): boolean {
  if (!(error instanceof Error)) return false;
  const index = `${table}_name_key`;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  if (code === '23505') return constraint === index;
  return (
    error.message.includes('UNIQUE constraint failed') &&
    (error.message.includes(index) || error.message.includes(`${table}.name_key`))
  );
}
