import { z } from 'zod';
import { errorCodes } from '../core/errors.ts';
import { warningCodes } from './warning-codes.ts';

/** Ids of environments and projects: `production`, `Prod-Blue`, `payments_eu`. */
export const slugId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, {
  error: 'use 1-64 letters, digits, _ or -, starting with a letter or digit',
});

export const isoTimestamp = z.string().describe('ISO-8601 UTC timestamp');

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

export const warningOut = z
  .object({
    code: z.enum(warningCodes).describe('docs/reference/warnings.md'),
    path: z.string(),
    message: z.string(),
  })
  .meta({ id: 'Warning' });
export type Warning = z.infer<typeof warningOut>;

/** Query booleans arrive as text: accept true/false/1/0. */
export const queryBoolean = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');
