import { z } from 'zod';

/**
 * One connection that uses a certificate, key store, secret or variable, and the environments
 * in which it does: `GET /{certificates,keystores,secrets,variables}/{id}/usages` and the
 * `details.usages` of the matching `*_IN_USE` refusal answer a list of these.
 */
export const usageOut = z
  .object({
    connectionId: z.string(),
    connectionName: z.string(),
    project: z.string().nullable().describe('null: a global connection'),
    environments: z
      .array(z.string())
      .describe(
        'environment ids where its current configuration or the revision deployed there uses it',
      ),
  })
  .meta({ id: 'Usage' });

export type Usage = z.infer<typeof usageOut>;
