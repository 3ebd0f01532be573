import { z } from 'zod';
import { freeText, isoTimestamp, slugId } from './common.ts';

export const projectIn = z
  .strictObject({
    id: slugId,
    name: freeText(z.string().trim().min(1).max(100)),
    description: freeText(z.string().max(1000)).default(''),
  })
  .meta({ id: 'ProjectIn' });

export const projectPatch = z
  .strictObject({
    name: freeText(z.string().trim().min(1).max(100)),
    description: freeText(z.string().max(1000)),
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
