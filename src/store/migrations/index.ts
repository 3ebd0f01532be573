import type { Migration, MigrationProvider } from 'kysely/migration';
import * as sqlite0001 from './sqlite/0001-initial.ts';
import * as postgres0001 from './postgres/0001-initial.ts';

// Numbered, append-only: a migration that shipped is never edited, only followed.
const migrations: Record<'sqlite' | 'postgres', Record<string, Migration>> = {
  sqlite: { '0001-initial': sqlite0001 },
  postgres: { '0001-initial': postgres0001 },
};

export function migrationsFor(dialect: 'sqlite' | 'postgres'): MigrationProvider {
  return { getMigrations: async () => migrations[dialect] };
}
