import { sql, type Kysely } from 'kysely';

// Variables pinned at deploy (DESIGN §1 Templates): each deployment keeps the values of the
// {{var.*}} its revision references, as they were when it was deployed, so changing a
// variable no longer moves running traffic before the next deploy. Same change as
// migrations/sqlite/0010-pinned-variables.ts: keep the two in step.
export async function up(db: Kysely<unknown>): Promise<void> {
  // JSON text: referenced name as written → value, or null when it had none then
  await sql`ALTER TABLE deployments ADD COLUMN pinned_variables TEXT NOT NULL DEFAULT '{}'`.execute(
    db,
  );
  await pinRunningValues(db);
}

// What already runs keeps running as it did at the upgrade: its current values are pinned.
// Self-contained (no import of the template parser, which may change after this shipped):
// the reference syntax of contracts/templates.ts as it is now, over URL and header values.
const variableReference = /\{\{\s*var\.([A-Za-z_][A-Za-z0-9_.-]{0,99})\s*\}\}/g;

async function pinRunningValues(db: Kysely<unknown>): Promise<void> {
  const { rows: deployments } = await sql<{
    connection_id: string;
    environment_id: string;
    spec: string;
  }>`SELECT d.connection_id, d.environment_id, r.spec
    FROM deployments d
    JOIN connection_revisions r ON r.connection_id = d.connection_id AND r.revision = d.revision`.execute(
    db,
  );
  if (deployments.length === 0) return;
  const { rows: values } = await sql<{ name_key: string; environment_id: string; value: string }>`
    SELECT v.name_key, vv.environment_id, vv.value
    FROM variables v JOIN variable_values vv ON vv.variable_id = v.id`.execute(db);
  const valueOf = new Map(
    values.map((row) => [`${row.name_key}\u0000${row.environment_id}`, row.value]),
  );
  for (const deployment of deployments) {
    const spec = JSON.parse(deployment.spec) as {
      environments?: Record<string, { url?: string; headers?: Array<{ value?: string }> }>;
    };
    const params = spec.environments?.[deployment.environment_id];
    const texts = [params?.url ?? '', ...(params?.headers ?? []).map((h) => h.value ?? '')];
    const pinned: Record<string, string | null> = {};
    for (const text of texts) {
      for (const match of text.matchAll(variableReference)) {
        const name = match[1] as string;
        pinned[name] =
          valueOf.get(`${name.toLowerCase()}\u0000${deployment.environment_id}`) ?? null;
      }
    }
    if (Object.keys(pinned).length === 0) continue;
    await sql`UPDATE deployments SET pinned_variables = ${JSON.stringify(pinned)}
      WHERE connection_id = ${deployment.connection_id}
        AND environment_id = ${deployment.environment_id}`.execute(db);
  }
}
