import { z } from 'zod';
import { isoTimestamp, slugId } from './common.ts';

export const projectIn = z
  .strictObject({
    id: slugId,
    name: z.string().trim().min(1).max(100),
    description: z.string().max(1000).default(''),
  })
  .meta({ id: 'ProjectIn' });

export const projectPatch = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    description: z.string().max(1000),
  })
  .partial()
  .meta({ id: 'ProjectPatch' });

export const projectOut = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    createdAt: isoTimestamp,
    updatedAt: isoTimestamp,
  })
  .meta({ id: 'Project' });

export type ProjectIn = z.infer<typeof projectIn>;
export type ProjectPatch = z.infer<typeof projectPatch>;
export type Project = z.infer<typeof projectOut>;
