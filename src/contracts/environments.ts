import { z } from 'zod';
import { isoTimestamp, slugId } from './common.ts';

export const environmentKinds = ['development', 'test', 'production'] as const;
export type EnvironmentKind = (typeof environmentKinds)[number];

export const environmentIn = z
  .strictObject({
    id: slugId,
    name: z.string().trim().min(1).max(100),
    kind: z.enum(environmentKinds),
    description: z.string().max(1000).default(''),
  })
  .meta({ id: 'EnvironmentIn' });

export const environmentPatch = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    kind: z.enum(environmentKinds),
    description: z.string().max(1000),
  })
  .partial()
  .meta({ id: 'EnvironmentPatch' });

export const environmentOut = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(environmentKinds),
    description: z.string(),
    createdAt: isoTimestamp,
    updatedAt: isoTimestamp,
  })
  .meta({ id: 'Environment' });

export type EnvironmentIn = z.infer<typeof environmentIn>;
export type EnvironmentPatch = z.infer<typeof environmentPatch>;
export type Environment = z.infer<typeof environmentOut>;
