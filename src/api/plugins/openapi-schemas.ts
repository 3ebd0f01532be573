// Walking the JSON schemas of an OpenAPI 3.1 document by keyword (not by key name: a property
// called `default` or `anyOf` is a property, not a keyword).

export type JsonSchema = Record<string, unknown>;

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keywords whose value is one subschema. */
const singleSchemaKeywords = [
  'items',
  'additionalProperties',
  'propertyNames',
  'not',
  'contains',
  'unevaluatedProperties',
];
/** Keywords whose value is a list of subschemas. */
const schemaListKeywords = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
/** Keywords whose value maps names to subschemas. */
const schemaMapKeywords = ['properties', 'patternProperties', '$defs'];

/** Calls `visit` on `schema` and every subschema in it, parents first. */
export function visitSchemas(schema: unknown, visit: (schema: JsonSchema) => void): void {
  if (!isObject(schema)) return;
  visit(schema);
  for (const keyword of singleSchemaKeywords) visitSchemas(schema[keyword], visit);
  for (const keyword of schemaListKeywords) {
    const list = schema[keyword];
    if (Array.isArray(list)) for (const entry of list) visitSchemas(entry, visit);
  }
  for (const keyword of schemaMapKeywords) {
    const map = schema[keyword];
    if (isObject(map)) for (const entry of Object.values(map)) visitSchemas(entry, visit);
  }
}

/** Every `$ref` string anywhere under `value` (schemas, responses, parameters alike). */
export function collectRefs(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const entry of value) collectRefs(entry, into);
  } else if (isObject(value)) {
    for (const [key, entry] of Object.entries(value)) {
      if (key === '$ref' && typeof entry === 'string') into.add(entry);
      else collectRefs(entry, into);
    }
  }
  return into;
}

/** Replaces every `$ref` under `value` that `rename` maps to another reference. */
export function renameRefs(value: unknown, rename: ReadonlyMap<string, string>): void {
  if (Array.isArray(value)) {
    for (const entry of value) renameRefs(entry, rename);
  } else if (isObject(value)) {
    for (const [key, entry] of Object.entries(value)) {
      if (key === '$ref' && typeof entry === 'string') value[key] = rename.get(entry) ?? entry;
      else renameRefs(entry, rename);
    }
  }
}

export function isDeepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key])]),
  );
}
