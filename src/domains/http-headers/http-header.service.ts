import type {
  HeaderNameSuggestion,
  HeaderNameSuggestionQuery,
  HeaderValueSuggestion,
} from '../../contracts/http-headers.ts';
import { headerCatalog, type HeaderCatalogEntry } from './header-catalog.ts';

/**
 * Header name and value suggestions for the connection editor's auto-completion. Pure and
 * in-memory: the catalog is sorted and indexed once, every lookup is a scan of ~60 entries.
 */
export function createHttpHeaderService(catalog: readonly HeaderCatalogEntry[] = headerCatalog) {
  const sorted = [...catalog].sort((a, b) => compareIgnoringCase(a.name, b.name));
  const byName = new Map(sorted.map((entry) => [entry.name.toLowerCase(), entry]));

  return {
    /** Names starting with `prefix` (ignoring case), sorted, at most `limit`. */
    suggestNames(query: HeaderNameSuggestionQuery): HeaderNameSuggestion[] {
      const prefix = query.prefix.toLowerCase();
      return sorted
        .filter((entry) => entry.name.toLowerCase().startsWith(prefix))
        .slice(0, query.limit)
        .map(({ name, description }) => ({ name, description }));
    },

    /** Typical values of the header `name` (ignoring case); none for a header we know nothing of. */
    suggestValues(name: string): HeaderValueSuggestion[] {
      return (byName.get(name.toLowerCase())?.values ?? []).map((v) => ({ ...v }));
    },
  };
}

function compareIgnoringCase(a: string, b: string): number {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  return left < right ? -1 : left > right ? 1 : 0;
}

export type HttpHeaderService = ReturnType<typeof createHttpHeaderService>;
