import type { EnvironmentParams } from '../../contracts/connections.ts';
import { parseTemplate } from '../../contracts/templates.ts';
import type { Db } from '../../store/create-store.ts';
import { nameKeyOf } from '../../store/name-key.ts';
import { readValuesByName } from '../variables/index.ts';

/**
 * The values of a revision's `{{var.*}}` as they were when it was deployed (DESIGN §1
 * Templates): referenced name as written → value, or null when the variable had no value
 * for the environment then (a call then fails with TEMPLATE_UNRESOLVED, as it did).
 */
export type PinnedVariables = Readonly<Record<string, string | null>>;

/** The variables an environment's parameters reference (URL and header values), each once. */
export function variableNamesOf(params: Pick<EnvironmentParams, 'url' | 'headers'>): string[] {
  const names = new Set<string>();
  for (const text of [params.url, ...params.headers.map((header) => header.value)]) {
    const parsed = parseTemplate(text);
    if ('problem' in parsed) continue;
    for (const reference of parsed.references) {
      if (reference.namespace === 'var') names.add(reference.name);
    }
  }
  return [...names];
}

/** What a deploy of `params` to `environmentId` pins now, read through `db` (its transaction). */
export async function readPinnedVariables(
  db: Db,
  params: Pick<EnvironmentParams, 'url' | 'headers'>,
  environmentId: string,
): Promise<PinnedVariables> {
  const names = variableNamesOf(params);
  const current = await readValuesByName(db, names);
  return Object.fromEntries(names.map((name) => [name, valueIn(current, name, environmentId)]));
}

/**
 * The pinned names whose current value (or existence) differs: what a redeploy would change.
 * `current` is readValuesByName's answer for (at least) these names.
 */
export function changedVariables(
  pinned: PinnedVariables,
  current: ReadonlyMap<string, Record<string, string>>,
  environmentId: string,
): string[] {
  return Object.entries(pinned)
    .filter(([name, value]) => valueIn(current, name, environmentId) !== value)
    .map(([name]) => name);
}

export function isSamePin(a: PinnedVariables, b: PinnedVariables): boolean {
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((name) => b[name] === a[name]);
}

export function parsePinnedVariables(text: string): PinnedVariables {
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    ? (parsed as PinnedVariables)
    : {};
}

function valueIn(
  current: ReadonlyMap<string, Record<string, string>>,
  name: string,
  environmentId: string,
): string | null {
  // readValuesByName keys by name key: variable names ignore case
  return current.get(nameKeyOf(name))?.[environmentId] ?? null;
}
