import { z } from 'zod';
// The values route takes any token, hop-by-hop names too: it answers "no suggestions" for
// them rather than an error.
import { tokenPattern as headerTokenPattern } from './headers.ts';

export const headerSuggestionDefaultLimit = 20;

/** `GET /api/v1/http-headers?prefix=&limit=`: header names that start with what the user typed. */
export const headerNameSuggestionQuery = z.object({
  prefix: z.string().max(256).default('').describe('case-insensitive; empty lists every name'),
  limit: z.coerce.number().int().min(1).max(500).default(headerSuggestionDefaultLimit),
});

export const headerNameParams = z.object({
  name: z.string().min(1).max(256).regex(headerTokenPattern, {
    error: "header name may only use letters, digits and !#$%&'*+-.^_`|~ (RFC 9110 token)",
  }),
});

export const headerNameSuggestionOut = z
  .object({
    name: z.string().describe('canonical spelling, e.g. Content-Type or traceparent'),
    description: z.string(),
  })
  .meta({ id: 'HeaderNameSuggestion' });

export const headerValueSuggestionOut = z
  .object({
    value: z.string().describe('may hold templates, e.g. Bearer {{secret.NAME}}'),
    description: z.string(),
  })
  .meta({ id: 'HeaderValueSuggestion' });

export type HeaderNameSuggestionQuery = z.infer<typeof headerNameSuggestionQuery>;
export type HeaderNameSuggestion = z.infer<typeof headerNameSuggestionOut>;
export type HeaderValueSuggestion = z.infer<typeof headerValueSuggestionOut>;
