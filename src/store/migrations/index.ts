import type { Migration, MigrationProvider } from 'kysely/migration';
import * as sqlite0001 from './sqlite/0001-initial.ts';
import * as postgres0001 from './postgres/0001-initial.ts';
import * as sqlite0002 from './sqlite/0002-secrets-variables.ts';
import * as postgres0002 from './postgres/0002-secrets-variables.ts';
import * as sqlite0003 from './sqlite/0003-certificates-keystores.ts';
import * as postgres0003 from './postgres/0003-certificates-keystores.ts';
import * as sqlite0004 from './sqlite/0004-deployments.ts';
import * as postgres0004 from './postgres/0004-deployments.ts';
import * as sqlite0005 from './sqlite/0005-environment-egress.ts';
import * as postgres0005 from './postgres/0005-environment-egress.ts';
import * as sqlite0006 from './sqlite/0006-notifications.ts';
import * as postgres0006 from './postgres/0006-notifications.ts';
import * as sqlite0007 from './sqlite/0007-deliveries.ts';
import * as postgres0007 from './postgres/0007-deliveries.ts';
import * as sqlite0008 from './sqlite/0008-access.ts';
import * as postgres0008 from './postgres/0008-access.ts';
import * as sqlite0009 from './sqlite/0009-approval-actions.ts';
import * as postgres0009 from './postgres/0009-approval-actions.ts';
import * as sqlite0010 from './sqlite/0010-pinned-variables.ts';
import * as postgres0010 from './postgres/0010-pinned-variables.ts';
import * as sqlite0011 from './sqlite/0011-idempotency-fingerprint.ts';
import * as postgres0011 from './postgres/0011-idempotency-fingerprint.ts';
import * as sqlite0012 from './sqlite/0012-retention.ts';
import * as postgres0012 from './postgres/0012-retention.ts';
import * as sqlite0013 from './sqlite/0013-attempt-requests.ts';
import * as postgres0013 from './postgres/0013-attempt-requests.ts';
import * as sqlite0014 from './sqlite/0014-metric-minutes.ts';
import * as postgres0014 from './postgres/0014-metric-minutes.ts';
import * as sqlite0016 from './sqlite/0016-connection-search.ts';
import * as postgres0016 from './postgres/0016-connection-search.ts';

// Numbered, append-only: a migration that shipped is never edited, only followed.
const migrations: Record<'sqlite' | 'postgres', Record<string, Migration>> = {
  sqlite: {
    '0001-initial': sqlite0001,
    '0002-secrets-variables': sqlite0002,
    '0003-certificates-keystores': sqlite0003,
    '0004-deployments': sqlite0004,
    '0005-environment-egress': sqlite0005,
    '0006-notifications': sqlite0006,
    '0007-deliveries': sqlite0007,
    '0008-access': sqlite0008,
    '0009-approval-actions': sqlite0009,
    '0010-pinned-variables': sqlite0010,
    '0011-idempotency-fingerprint': sqlite0011,
    '0012-retention': sqlite0012,
    '0013-attempt-requests': sqlite0013,
    '0014-metric-minutes': sqlite0014,
    '0016-connection-search': sqlite0016,
  },
  postgres: {
    '0001-initial': postgres0001,
    '0002-secrets-variables': postgres0002,
    '0003-certificates-keystores': postgres0003,
    '0004-deployments': postgres0004,
    '0005-environment-egress': postgres0005,
    '0006-notifications': postgres0006,
    '0007-deliveries': postgres0007,
    '0008-access': postgres0008,
    '0009-approval-actions': postgres0009,
    '0010-pinned-variables': postgres0010,
    '0011-idempotency-fingerprint': postgres0011,
    '0012-retention': postgres0012,
    '0013-attempt-requests': postgres0013,
    '0014-metric-minutes': postgres0014,
    '0016-connection-search': postgres0016,
  },
};

export function migrationsFor(dialect: 'sqlite' | 'postgres'): MigrationProvider {
  return { getMigrations: async () => migrations[dialect] };
}
