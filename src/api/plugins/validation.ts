import type { FastifySchemaCompiler } from 'fastify';
import type { ZodType } from 'zod';
import { formatPath, validationFailed } from '../../core/errors.ts';

const partPrefix: Record<string, string> = {
  querystring: 'query',
  params: 'params',
  headers: 'headers',
};

/**
 * Like fastify-type-provider-zod's validatorCompiler, but answers our VALIDATION_FAILED with
 * every problem and a field path that keeps array indexes: `environments.prod.headers[1].value`.
 * Body paths are bare; query, params and headers paths are prefixed (`query.limit`).
 */
export const validatorCompiler: FastifySchemaCompiler<ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const result = schema.safeParse(data);
    if (result.success) return { value: result.data };
    const prefix = httpPart ? partPrefix[httpPart] : undefined;
    return {
      error: validationFailed(
        result.error.issues.flatMap((issue) => {
          const at = prefix ? [prefix, ...issue.path] : issue.path;
          // one problem per unknown field, at its own path (zod reports them at the object)
          return issue.code === 'unrecognized_keys'
            ? issue.keys.map((key) => ({
                path: formatPath([...at, key]),
                message: `unknown field '${key}'`,
              }))
            : [{ path: formatPath(at), message: issue.message }];
        }),
      ),
    };
  };
