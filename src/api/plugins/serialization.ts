import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify';
import { z, type ZodType } from 'zod';

export interface SerializerOptions {
  /**
   * Also check every answer against its zod schema and fail with 500 when it does not match
   * (tests turn this on, so a service that drifts from its contract is caught there).
   */
  validateResponses?: boolean;
}

/**
 * Writes answers with fast-json-stringify, compiled once per route from the JSON Schema of
 * the route's zod response schema: only declared fields are written, so nothing a service
 * did not mean to expose leaks. Re-validating every answer with zod instead cost ~46% of a
 * list page's CPU (bench/api.ts).
 */
export function createSerializerCompiler(
  options: SerializerOptions = {},
): FastifySerializerCompiler<ZodType> {
  return ({ schema, method, url }) => {
    const jsonSchema = z.toJSONSchema(schema, {
      target: 'draft-7',
      io: 'output',
      unrepresentable: 'any',
    });
    const stringify = fastJson(
      withNullableScalarsAsTypeLists(jsonSchema) as Parameters<typeof fastJson>[0],
    );
    if (!options.validateResponses) return stringify;
    return (data: unknown) => {
      const result = schema.safeParse(data);
      if (!result.success) {
        throw new Error(
          `the answer of ${method} ${url} does not match its schema: ${z.prettifyError(result.error)}`,
        );
      }
      return stringify(data);
    };
  };
}

const scalarTypes = new Set(['string', 'number', 'integer', 'boolean']);

/**
 * zod writes `.nullable()` of a scalar as `anyOf: [{type: T, …}, {type: 'null'}]`, and
 * fast-json-stringify picks an `anyOf` branch by running an ajv validator per value on every
 * answer. `type: [T, 'null']` says the same for writing and is a `typeof` check. Only scalars
 * are rewritten: a nullable object or union keeps its `anyOf`.
 */
export function withNullableScalarsAsTypeLists(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withNullableScalarsAsTypeLists);
  if (schema === null || typeof schema !== 'object') return schema;
  const node: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    node[key] = withNullableScalarsAsTypeLists(value);
  }
  const branches = node.anyOf;
  if (!Array.isArray(branches) || branches.length !== 2) return node;
  const nullIndex = branches.findIndex(isNullType);
  const other = branches[1 - nullIndex] as Record<string, unknown> | undefined;
  if (nullIndex === -1 || !other || typeof other.type !== 'string') return node;
  if (!scalarTypes.has(other.type)) return node;
  const merged: Record<string, unknown> = { ...other, ...node, type: [other.type, 'null'] };
  delete merged.anyOf;
  return merged;
}

function isNullType(branch: unknown): boolean {
  return (
    typeof branch === 'object' &&
    branch !== null &&
    (branch as Record<string, unknown>).type === 'null' &&
    Object.keys(branch).length === 1
  );
}
