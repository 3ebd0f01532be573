import { z } from 'zod';
import { errorCodes } from '../core/errors.ts';
import { warningCodes } from './warning-codes.ts';

/** Ids of environments and projects: `production`, `Prod-Blue`, `payments_eu`. */
export const slugId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, {
  error: 'use 1-64 letters, digits, _ or -, starting with a letter or digit',
});

/**
 * Characters that change how the text around them is shown without being seen themselves:
 * bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069: "Trojan
 * Source", CVE-2021-42574), the Arabic letter mark (U+061C), zero-width spaces, joiners and
 * direction marks (U+200B–U+200F), the word joiner and invisible operators (U+2060–U+2064), the
 * Mongolian vowel separator (U+180E) and the byte-order mark (U+FEFF). A name holding one can
 * read as another name in the console, a terminal, a log or an audit record.
 */
const hiddenCharacter = /[\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;

/** `U+202E at character 5` for the first hidden character of `text`; undefined without one. */
export function describeHiddenCharacter(text: string): string | undefined {
  const match = hiddenCharacter.exec(text);
  if (!match) return undefined;
  const codePoint = (match[0].codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0');
  return `U+${codePoint} at character ${match.index + 1}`;
}

/**
 * A free-text field (a display name, a description, a comment): refuses invisible and
 * text-direction control characters, VALIDATION_FAILED at the field's path. Every free-text
 * field of every contract goes through this one refinement.
 */
export function freeText<T extends z.ZodString>(schema: T): T {
  return schema.superRefine((text, ctx) => {
    const found = describeHiddenCharacter(text);
    if (found !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `must not contain invisible or text-direction control characters (${found})`,
      });
    }
  });
}

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

export const warningOut = z
  .object({
    code: z.enum(warningCodes).describe('docs/reference/warnings.md'),
    path: z.string(),
    message: z.string(),
  })
  .meta({ id: 'Warning' });
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
