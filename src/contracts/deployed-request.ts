import { z } from 'zod';

/**
 * What a connection's deployed revision sends in one environment, for Copy as curl on the
 * connection page: secrets and params as references, the command reading them from the
 * environment. Never a secret's value, nor a literal credential (masked as ****).
 */
export const deployedRequestOut = z
  .object({
    environment: z.string(),
    revision: z.int().describe('the revision deployed there'),
    method: z.string(),
    url: z
      .string()
      .describe('pinned variables substituted; {{secret.NAME}} and {{param.NAME}} left as written'),
    headers: z
      .array(z.object({ name: z.string(), value: z.string() }))
      .describe(
        'the configured headers as sent, then the User-Agent Hookline adds when none is configured',
      ),
    signing: z
      .enum(['none', 'standard-webhooks', 'hmac-sha256'])
      .describe('a signed revision adds its signature per call: the command carries none'),
    placeholders: z
      .array(z.string())
      .describe(
        'the environment variables the command reads: HOOKLINE_SECRET_NAME, HOOKLINE_PARAM_NAME',
      ),
    curl: z.string().describe('the request as a curl command'),
  })
  .meta({ id: 'DeployedRequest' });

export type DeployedRequestOut = z.infer<typeof deployedRequestOut>;
