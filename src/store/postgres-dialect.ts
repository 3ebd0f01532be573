import pg from 'pg';
import { PostgresDialect } from 'kysely';

const timestamptzOid = 1184;
const int8Oid = 20;

/**
 * timestamptz comes back as the same ISO text SQLite holds, and int8 (count(*)) as a
 * number: the repositories see one shape whatever the dialect.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === timestamptzOid) return (value: string) => new Date(value).toISOString();
    if (oid === int8Oid) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

export function openPostgres(
  connectionString: string,
  options: { schema?: string; max?: number } = {},
): { dialect: PostgresDialect; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    types: types as unknown as pg.CustomTypesConfig,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  return { dialect: new PostgresDialect({ pool }), pool };
}
