// The sample call the Test and Send dialogs start from: a body a typical receiver accepts (a
// Slack webhook answers 400 to an empty one), and the `{{param.NAME}}` values the chosen
// environment's URL and headers need.
import type { Connection } from '../../../../../src/contracts/connections.ts';
import { parseTemplate } from '../../../../../src/contracts/templates.ts';

export type BodyFormat = 'json' | 'text' | 'none';

export interface SampleCall {
  environment: string;
  format: BodyFormat;
  body: string;
  params: { name: string; value: string }[];
}

/** A JSON body with a `text` field: what Slack, Teams and most chat webhooks read. */
export function sampleBody(connectionName: string): string {
  return JSON.stringify(
    {
      text: `Test message from Hookline for ${connectionName}`,
      sentAt: new Date().toISOString(),
    },
    null,
    2,
  );
}

/** The call parameters the environment's URL and header values reference, in order. */
export function paramNamesOf(connection: Connection, environment: string): string[] {
  const params = connection.environments[environment];
  if (!params) return [];
  const names = new Set<string>();
  for (const text of [params.url, ...params.headers.map((header) => header.value)]) {
    const parsed = parseTemplate(text);
    if (!('references' in parsed)) continue;
    for (const reference of parsed.references) {
      if (reference.namespace === 'param') names.add(reference.name);
    }
  }
  return [...names];
}

/**
 * The request body of `POST …/test` and `…/deliveries`, or the problem with the form (a field
 * and what is wrong with it).
 */
export function callRequest(
  call: SampleCall,
): { body: Record<string, unknown> } | { problem: { field: string; message: string } } {
  const params: Record<string, string> = {};
  for (const { name, value } of call.params) {
    const key = name.trim();
    if (key === '' && value === '') continue;
    if (!/^[A-Za-z_][A-Za-z0-9_.-]{0,99}$/.test(key)) {
      return {
        problem: {
          field: 'params',
          message: `"${key}" is not a parameter name: start with a letter or _, then letters, digits, _ . -`,
        },
      };
    }
    params[key] = value;
  }
  const request: Record<string, unknown> = { environment: call.environment, params };
  if (call.format === 'text') request.body = call.body;
  if (call.format === 'json') {
    try {
      request.body = JSON.parse(call.body);
    } catch (error) {
      return {
        problem: {
          field: 'body',
          message: `The body is not JSON: ${(error as Error).message}. Fix it, or choose Text.`,
        },
      };
    }
  }
  return { body: request };
}
