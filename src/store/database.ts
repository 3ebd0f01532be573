import type { Generated } from 'kysely';

/**
 * The tables, as both dialects hold them. Timestamps are ISO-8601 UTC text in SQLite and
 * timestamptz in PostgreSQL (read back as the same ISO text); JSON columns are text in both;
 * booleans are 0/1 in SQLite and boolean in PostgreSQL (repositories read them with Boolean()).
 */
export interface Database {
  environments: EnvironmentsTable;
  projects: ProjectsTable;
  connections: ConnectionsTable;
  connection_revisions: ConnectionRevisionsTable;
  connection_environments: ConnectionEnvironmentsTable;
  audit_records: AuditRecordsTable;
  tokens: TokensTable;
}

export interface EnvironmentsTable {
  id: string;
  name: string;
  kind: string;
  description: string;
  created_at: string;
  updated_at: string;
}

export interface ProjectsTable {
  id: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
}

export interface ConnectionsTable {
  id: string;
  /** null: a global connection, visible to every project */
  project_id: string | null;
  name: string;
  /** lower-cased name: uniqueness ignores case */
  name_key: string;
  description: string;
  enabled: boolean | number;
  critical: boolean | number;
  current_revision: number;
  /** the current revision's spec (JSON), kept here so lists need no join */
  spec: string;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

export interface ConnectionRevisionsTable {
  connection_id: string;
  revision: number;
  action: string;
  spec: string;
  created_at: string;
  created_by: string;
}

export interface ConnectionEnvironmentsTable {
  connection_id: string;
  environment_id: string;
}

export interface AuditRecordsTable {
  seq: Generated<number>;
  id: string;
  at: string;
  actor: string;
  action: string;
  target_type: string;
  target_id: string;
  target_name: string | null;
  before: string | null;
  after: string | null;
}

export interface TokensTable {
  id: string;
  name: string;
  /** SHA-256 of the token (hex): tokens are 256-bit random, so a fast hash is enough */
  token_hash: string;
  role: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}
