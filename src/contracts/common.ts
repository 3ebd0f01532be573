import { z } from 'zod';
import { errorCodes } from '../core/errors.ts';

/** Ids of environments and projects: `production`, `Prod-Blue`, `payments_eu`. */
export const slugId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, {
  error: 'use 1-64 letters, digits, _ or -, starting with a letter or digit',
});

/** Stored and answered as ISO-8601 UTC text (`2025-11-13T09:30:00.000Z`): `date-time` in OpenAPI. */
export const isoTimestamp = z
  .string()
  .meta({ description: 'ISO-8601 UTC timestamp', format: 'date-time' });

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(512).optional(),
});

/** Every list answers `{items, next}`; pass `next` back as `cursor` for the following page. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), next: z.string().nullable() });
}

export const errorOut = z
  .object({
    error: z.object({
      code: z.enum(errorCodes),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'Error' });

export const warningOut = z.object({
  code: z.string(),
  path: z.string(),
  message: z.string(),
});
export type Warning = z.infer<typeof warningOut>;

const queryBooleanWords: Record<string, boolean> = {
  true: true,
  '1': true,
  false: false,
  '0': false,
};

/**
 * Query booleans arrive as text: true/false/1/0 become the boolean, so the document types the
 * parameter as a boolean (what a generated client sends as `true`/`false`), not as a string.
 */
export const queryBoolean = z.preprocess(
  (value) =>
    typeof value === 'string' && Object.hasOwn(queryBooleanWords, value)
      ? queryBooleanWords[value]
      : value,
  z.boolean({ error: 'use true or false (or 1 or 0)' }),
);
