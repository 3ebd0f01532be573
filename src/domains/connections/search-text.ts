import type { ConnectionSpec } from '../../contracts/connections.ts';

/**
 * The template text between `://` and the path, query or fragment of a URL: its host and port
 * as written (a `{{var.HOST}}` stays a reference; credentials are refused in URLs, so there is
 * no user part to leave out).
 */
export function urlAuthorityOf(url: string): string {
  const rest = url.slice(url.indexOf('://') + 3);
  const end = rest.search(/[/?#\\]/);
  return end === -1 ? rest : rest.slice(0, end);
}

/**
 * What the list's search (`q`) matches besides the name (name_key has it): the host of each
 * environment's URL and the description, lower-cased here (JavaScript's folding, the same for
 * both stores), one per line so a search never matches across two of them. Keep in step with
 * migration 0016's backfill.
 */
export function searchTextOf(spec: Pick<ConnectionSpec, 'description' | 'environments'>): string {
  const hosts = Object.values(spec.environments).map((params) =>
    urlAuthorityOf(params.url).toLowerCase(),
  );
  return [...new Set(hosts), spec.description.toLowerCase()].join('\n');
}
