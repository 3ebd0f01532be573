import { utf8ByteLength } from '../core/utf8.ts';
import { z } from 'zod';
import { freeText, isoTimestamp, listQuery, slugId, warningOut } from './common.ts';
import { parseTemplate, type TemplateNamespace } from './templates.ts';

/** 8 KiB (UTF-8 bytes): a URL, a tenant id, a JSON fragment; not a document store. */
export const maxVariableValueBytes = 8192;

/**
 * A name a template can reference as `{{<namespace>.NAME}}`. Checked with the template parser
 * itself (contracts/templates.ts), so the two can never disagree: letters, digits, `_ . -`,
 * starting with a letter or `_`, at most 100 characters.
 */
export function referenceName(namespace: TemplateNamespace, what: string) {
  return z
    .string({ error: 'name is required' })
    .min(1, { error: 'name is required', abort: true })
    .max(100, { error: 'name must be at most 100 characters', abort: true })
    .refine(
      (name) => {
        const parsed = parseTemplate(`{{${namespace}.${name}}}`);
        return 'references' in parsed && parsed.references[0]?.name === name;
      },
      {
        error: `a ${what} name starts with a letter or _ and uses only letters, digits, _ . and - (it is referenced as {{${namespace}.NAME}})`,
      },
    );
}

export const variableName = referenceName('var', 'variable');

const variableValue = z
  .string({ error: 'a value is text' })
  .refine((value) => utf8ByteLength(value) <= maxVariableValueBytes, {
    error: `a value must be at most ${maxVariableValueBytes} bytes (UTF-8)`,
  });

/** Environment id → value. The environments must exist (the service checks, by field path). */
const variableValues = z
  .record(z.string(), variableValue)
  .superRefine((values, ctx) => {
    for (const id of Object.keys(values)) {
      if (!slugId.safeParse(id).success) {
        ctx.addIssue({ code: 'custom', path: [id], message: `'${id}' is not an environment id` });
      }
    }
  })
  .describe('environment id → value; every environment must exist');

const description = freeText(
  z.string().max(1000, { error: 'description must be at most 1000 characters' }),
);

export const variableIn = z
  .strictObject({
    name: variableName,
    description: description.default(''),
    values: variableValues.default({}),
  })
  .meta({ id: 'VariableIn' });

/** `PUT /variables/{name}`: the description and every value (environments left out lose theirs). */
export const variableReplace = z
  .strictObject({
    description: description.default(''),
    values: variableValues,
  })
  .meta({ id: 'VariableReplace' });

/** `PATCH /variables/{name}`: given values are set, `null` removes an environment's value. */
export const variablePatch = z
  .strictObject({
    description: description.optional(),
    values: z
      .record(z.string(), variableValue.nullable())
      .superRefine((values, ctx) => {
        for (const id of Object.keys(values)) {
          if (!slugId.safeParse(id).success) {
            ctx.addIssue({
              code: 'custom',
              path: [id],
              message: `'${id}' is not an environment id`,
            });
          }
        }
      })
      .optional()
      .describe('environment id → new value, or null to remove that value'),
  })
  .meta({ id: 'VariablePatch' });

/** `PUT /variables/{name}/values/{environment}`. */
export const variableValueIn = z
  .strictObject({ value: variableValue })
  .meta({ id: 'VariableValueIn' });

export const variableOut = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    values: z.record(z.string(), z.string()).describe('environment id → value'),
    createdAt: isoTimestamp,
    createdBy: z.string(),
    updatedAt: isoTimestamp,
    updatedBy: z.string(),
    warnings: z.array(warningOut).optional(),
  })
  .meta({ id: 'Variable' });

export const variableListQuery = listQuery.extend({
  q: z.string().max(100).optional().describe('part of the name, any case'),
  environment: slugId.optional().describe('only variables with a value for this environment'),
});

export type VariableIn = z.infer<typeof variableIn>;
export type VariableReplace = z.infer<typeof variableReplace>;
export type VariablePatch = z.infer<typeof variablePatch>;
export type Variable = z.infer<typeof variableOut>;
export type VariableListQuery = z.infer<typeof variableListQuery>;
