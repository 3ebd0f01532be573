import type { ColumnType, Generated } from 'kysely';

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
  audit_prune: AuditPruneTable;
  tokens: TokensTable;
  users: UsersTable;
  sessions: SessionsTable;
  approvals: ApprovalsTable;
  variables: VariablesTable;
  variable_values: VariableValuesTable;
  secrets: SecretsTable;
  certificates: CertificatesTable;
  key_stores: KeyStoresTable;
  notifications: NotificationsTable;
  deployments: DeploymentsTable;
  deployment_results: DeploymentResultsTable;
  deliveries: DeliveriesTable;
  delivery_attempts: DeliveryAttemptsTable;
  delivery_idempotency_keys: DeliveryIdempotencyKeysTable;
  metric_minutes: MetricMinutesTable;
}

export interface EnvironmentsTable {
  id: string;
  name: string;
  kind: string;
  description: string;
  /** the egress policy (JSON): {"allowCidrs":[],"denyCidrs":[],"denyPrivate":false} by default */
  egress: Generated<string>;
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
  /**
   * lower-cased URL hosts and description, one per line: what the list's search matches
   * besides the name (migration 0016); written by the connections repository with the spec
   */
  search_text: ColumnType<string, string | undefined, string>;
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

/** The cutoff of an audit prune under way, inside its transaction only (migration 0012). */
export interface AuditPruneTable {
  cutoff: string;
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
  /** the user the token acts for (null only between the 0008 migration and start-up) */
  user_id: string | null;
  /** the bootstrap token (admin-token file or HOOKLINE_BOOTSTRAP_TOKEN): works while its user must change their password */
  bootstrap: Generated<boolean | number>;
}

export interface UsersTable {
  id: string;
  username: string;
  display_name: Generated<string>;
  role: string;
  /** `scrypt$N$r$p$salt$hash` (domains/access/password-hash.ts) */
  password_hash: string;
  disabled: boolean | number;
  must_change_password: boolean | number;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
}

export interface SessionsTable {
  id: string;
  /** SHA-256 of the cookie's random value: the value itself is never stored */
  token_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  /** the absolute end, however busy the session */
  expires_at: string;
  revoked_at: string | null;
  address: Generated<string>;
  user_agent: Generated<string>;
}

export interface ApprovalsTable {
  id: string;
  /** deploy | undeploy | environment-kind */
  action: string;
  /** null for an environment-kind approval */
  connection_id: string | null;
  connection_name: string | null;
  environment_id: string;
  /** deploy: the revision to deploy; undeploy: the one running when asked; else null */
  revision: number | null;
  /** environment-kind: the kind asked for */
  kind: string | null;
  state: string;
  requested_by: string;
  requested_by_name: string;
  requested_at: string;
  expires_at: string;
  decided_by_name: string | null;
  decided_at: string | null;
  comment: string | null;
  deployment_id: string | null;
}

export interface NotificationsTable {
  id: string;
  kind: string;
  /** '' when the notification is not about one connection */
  connection_id: string;
  connection_name: string | null;
  /** '' when not about one environment */
  environment_id: string;
  code: string;
  message: string;
  count: number;
  /** the minute it aggregates, e.g. 2026-11-29T02:15Z */
  minute: string;
  first_at: string;
  last_at: string;
}

export interface VariablesTable {
  id: string;
  name: string;
  /** lower-cased name: names are unique ignoring case */
  name_key: string;
  description: string;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

export interface VariableValuesTable {
  variable_id: string;
  environment_id: string;
  value: string;
}

export interface SecretsTable {
  id: string;
  name: string;
  /** lower-cased name: names are unique ignoring case */
  name_key: string;
  description: string;
  /** stored | env | file */
  source: string;
  /** source env: the environment variable */
  env_var: string | null;
  /** source file: the path */
  file_path: string | null;
  /** source stored: AES-256-GCM under the master key `key_id`; nonce, ciphertext, tag base64 */
  key_id: string | null;
  nonce: string | null;
  ciphertext: string | null;
  tag: string | null;
  version: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

export interface CertificatesTable {
  id: string;
  name: string;
  /** lower-cased name: names are unique ignoring case */
  name_key: string;
  description: string;
  /** one or more CERTIFICATE blocks, re-encoded (text around them dropped) */
  pem: string;
  version: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

export interface KeyStoresTable {
  id: string;
  name: string;
  /** lower-cased name: names are unique ignoring case */
  name_key: string;
  description: string;
  /** pem | pkcs12 */
  format: string;
  /** the client certificate first, then its chain (PEM; public) */
  certificate_pem: string;
  /** base64 of the sealed private key PEM (format pem) or PKCS#12 bytes (format pkcs12) */
  key_material: string;
  /** the secret holding the passphrase of the key or the PKCS#12; null: none */
  passphrase_secret: string | null;
  version: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

/** The revision each environment runs: one row per (connection, environment) deployed. */
export interface DeploymentsTable {
  connection_id: string;
  environment_id: string;
  revision: number;
  deployed_at: string;
  deployed_by: string;
  /** JSON: the values of the revision's {{var.*}} when it was deployed (name → value or null) */
  pinned_variables: string;
}

/** Every deploy and undeploy, newest last (seq): who, when, which revision, how it ended. */
export interface DeploymentResultsTable {
  seq: Generated<number>;
  id: string;
  connection_id: string;
  /** as asked for: no key into environments, so history outlives a deleted environment */
  environment_id: string;
  /** deploy | undeploy */
  action: string;
  revision: number | null;
  previous_revision: number | null;
  /** deployed | unchanged | undeployed | failed */
  outcome: string;
  message: string;
  created_at: string;
  created_by: string;
}

export interface DeliveriesTable {
  id: string;
  connection_id: string;
  /** the connection's name when accepted (lists show it without a join) */
  connection_name: string;
  environment_id: string;
  /** pending | in_flight | succeeded | failed | paused */
  status: string;
  /** the standard-webhooks webhook-id, the same on every attempt */
  message_id: string;
  /** the call's body as JSON (a string body is a JSON string); null: no body */
  body: string | null;
  /** JSON object of {{param.*}} values */
  params: string;
  /** JSON object of the call's own headers */
  headers: string;
  attempts: number;
  /** `attempts` when it was last replayed: the retry policy counts the attempts after it */
  replay_base: number;
  /** when it was last replayed: maxAgeSeconds counts from here (or from created_at) */
  replayed_at: string | null;
  /** FIFO: not sent before the earlier deliveries of its connection and environment finished */
  ordered: boolean | number;
  next_attempt_at: string;
  /** set while in_flight: which claim holds it, and until when */
  lease_token: string | null;
  lease_until: string | null;
  last_outcome: string | null;
  last_status: number | null;
  /** why it failed (dead letter), or why it waits */
  reason: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface DeliveryAttemptsTable {
  delivery_id: string;
  number: number;
  started_at: string;
  outcome: string;
  status: number | null;
  duration_ms: number;
  message: string | null;
  /** JSON: the answer's headers (sensitive ones masked) and the first bytes of its body */
  response: string | null;
  /**
   * JSON: the request as sent, secrets as `{{secret.NAME}}` (migration 0013); null when nothing
   * was sent or for attempts recorded before. Optional on insert: the column defaults to null.
   */
  request?: string | null;
}

export interface DeliveryIdempotencyKeysTable {
  connection_id: string;
  environment_id: string;
  key: string;
  delivery_id: string;
  expires_at: string;
  /** SHA-256 (hex) of the canonical request it was sent with; null: stored before 0011 */
  fingerprint: string | null;
}

/** One minute of calls of a connection in an environment (migration 0014), summed over processes. */
export interface MetricMinutesTable {
  connection_id: string;
  environment_id: string;
  /** the minute's start, ISO-8601 UTC ('2026-12-08T00:25:00.000Z') */
  minute: string;
  total: number;
  failures: number;
  /** "bucket:count" pairs joined by ','; a bucket may repeat (one pair per flush): sum them */
  latency_buckets: string;
}
