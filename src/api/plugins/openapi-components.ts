import {
  collectRefs,
  isDeepEqual,
  isObject,
  renameRefs,
  visitSchemas,
  type JsonSchema,
} from './openapi-schemas.ts';

const schemaRef = '#/components/schemas/';
/** fastify-type-provider-zod names the request (input) variant of schema `X` `XInput`. */
const inputSuffix = 'Input';

export interface OpenApiDocument {
  paths?: Record<string, Record<string, unknown>>;
  components?: {
    schemas?: Record<string, JsonSchema>;
    responses?: Record<string, unknown>;
    headers?: Record<string, unknown>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/**
 * Names the schema components the way a reader (and a client generator) expects, from the two
 * copies fastify-type-provider-zod writes of every registered zod schema — `X` (as answered)
 * and `XInput` (as accepted):
 * - a request schema keeps its own name: `ConnectionIn` is what a request sends, not an unused
 *   answer-shaped twin next to a used `ConnectionInInput`; `XInput` stays only where a schema is
 *   both sent and answered and the two differ (`EnvironmentParametersInput`);
 * - a field that has a default is optional in a request, and says its default in words rather
 *   than as `default`: openapi-typescript (default options) makes every property with a
 *   `default` required, which would make a client send what the server fills in itself;
 * - `anyOf` with an empty member (`z.unknown().nullable()`) matches anything: it becomes `{}`;
 * - components nothing refers to are dropped.
 */
export function tidyComponents(document: OpenApiDocument): void {
  const schemas = document.components?.schemas;
  if (!schemas) return;
  const inputs = new Map<string, string>();
  for (const name of Object.keys(schemas)) {
    const base = name.slice(0, -inputSuffix.length);
    if (name.endsWith(inputSuffix) && base in schemas) inputs.set(name, base);
  }
  for (const name of inputs.keys()) visitSchemas(schemas[name], describeDefault);
  for (const schema of Object.values(schemas)) visitSchemas(schema, dropEmptyAnyOf);
  visitOperationSchemas(document, dropEmptyAnyOf);

  let used = usedSchemas(document);
  const rename = new Map<string, string>();
  for (const [input, base] of inputs) {
    if (!used.has(input)) continue;
    if (!used.has(base) || isDeepEqual(schemas[input], schemas[base])) {
      // the input copy takes the name; nothing refers to it under its old name any more
      schemas[base] = schemas[input] as JsonSchema;
      rename.set(`${schemaRef}${input}`, `${schemaRef}${base}`);
    }
  }
  renameRefs(document, rename);
  used = usedSchemas(document);
  const kept = Object.keys(schemas)
    .filter((name) => used.has(name))
    .sort();
  (document.components as { schemas: Record<string, JsonSchema> }).schemas = Object.fromEntries(
    kept.map((name) => [name, schemas[name] as JsonSchema]),
  );
}

/** `default: 2000` → "Default: 2000." in the description, and the field stays optional. */
function describeDefault(schema: JsonSchema): void {
  if (!('default' in schema)) return;
  const said = `Default: ${JSON.stringify(schema.default)}.`;
  schema.description =
    typeof schema.description === 'string'
      ? `${schema.description.replace(/\.?$/, '.')} ${said}`
      : said;
  delete schema.default;
}

function dropEmptyAnyOf(schema: JsonSchema): void {
  const anyOf = schema.anyOf;
  if (!Array.isArray(anyOf)) return;
  if (anyOf.some((member) => isObject(member) && Object.keys(member).length === 0)) {
    delete schema.anyOf;
  }
}

/** The schemas of parameters, request bodies and responses written inline in operations. */
function visitOperationSchemas(
  document: OpenApiDocument,
  visit: (schema: JsonSchema) => void,
): void {
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item)) {
      if (!isObject(operation)) continue;
      const parameters = Array.isArray(operation.parameters) ? operation.parameters : [];
      for (const parameter of parameters) {
        if (isObject(parameter)) visitSchemas(parameter.schema, visit);
      }
      const bodies = [operation.requestBody, ...Object.values(operation.responses ?? {})];
      for (const body of bodies) {
        if (!isObject(body) || !isObject(body.content)) continue;
        for (const media of Object.values(body.content)) {
          if (isObject(media)) visitSchemas(media.schema, visit);
        }
      }
    }
  }
}

/** Schema names the paths (and the shared responses) refer to, directly or through others. */
function usedSchemas(document: OpenApiDocument): Set<string> {
  const schemas = document.components?.schemas ?? {};
  const otherComponents = Object.entries(document.components ?? {}).filter(
    ([kind]) => kind !== 'schemas',
  );
  const pending = [...collectRefs([document.paths, otherComponents])];
  const used = new Set<string>();
  while (pending.length > 0) {
    const ref = pending.pop() as string;
    if (!ref.startsWith(schemaRef)) continue;
    const name = ref.slice(schemaRef.length);
    if (used.has(name)) continue;
    used.add(name);
    pending.push(...collectRefs(schemas[name]));
  }
  return used;
}
