import { sql, type Kysely } from 'kysely';

// The connections list's search and its "Last changed" order (issue 14): `q` matches the name (name_key), the host of any
// environment's URL and the description, ignoring case. The hosts and the description as one
// lower-cased text per connection, written by the repository with the row, so a search is two
// LIKEs over two columns on both stores — no JSON read per row, and the same case folding
// (JavaScript's) on SQLite and PostgreSQL, whose lower() differ beyond ASCII. Same change as
// migrations/postgres/0016-connection-search.ts: keep the two in step.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE connections ADD COLUMN search_text TEXT NOT NULL DEFAULT ''`.execute(db);
  await fillSearchText(db);
  // the list's "Last changed" order, a page at a time (keyset on updated_at, id)
  await sql`CREATE INDEX connections_updated ON connections (updated_at, id)`.execute(db);
}

// Self-contained (no import of the repository's helper, which may change after this shipped):
// the authority (host[:port], as written: templates stay) of each URL, and the description.
async function fillSearchText(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{
    id: string;
    spec: string;
  }>`SELECT id, spec FROM connections`.execute(db);
  for (const row of rows) {
    const spec = JSON.parse(row.spec) as {
      description?: string;
      environments?: Record<string, { url?: string }>;
    };
    const hosts = Object.values(spec.environments ?? {}).map((params) => {
      const url = params.url ?? '';
      const rest = url.slice(url.indexOf('://') + 3);
      const end = rest.search(/[/?#\\]/);
      return (end === -1 ? rest : rest.slice(0, end)).toLowerCase();
    });
    const text = [...new Set(hosts), spec.description ?? ''].join('\n').toLowerCase();
    await sql`UPDATE connections SET search_text = ${text} WHERE id = ${row.id}`.execute(db);
  }
}
