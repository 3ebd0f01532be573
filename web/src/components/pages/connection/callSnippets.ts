// The "call it" snippets of a deployed connection (issue 14 §10): the same call through
// Hookline with curl, the CLI and Node's fetch. Pure, so a test can read them. The CLI's
// command names and flags are src/cli/commands/deliveries.ts (`send`) and
// connection-runtime.ts (`connections invoke`): keep in step.
import { shellWord } from '../../../../../src/contracts/curl-command.ts';

export interface CallTarget {
  /** the connection's name: the API and the CLI take it where they take the id */
  name: string;
  /** the project to look the name up in; null: global, or the default project */
  project: string | null;
  environment: string;
  /** the `{{param.NAME}}` the deployed revision uses: each needs a value */
  params: string[];
}

export interface CallSnippets {
  curl: string;
  cli: string;
  node: string;
}

/** A body most targets accept (a Slack webhook answers 400 to an empty one). */
export const sampleBody = { text: 'Hello from Hookline' };

/** Names of the `{{param.NAME}}` references in `texts`, each once. */
export function paramNamesIn(texts: readonly string[]): string[] {
  const names = new Set<string>();
  for (const text of texts) {
    for (const match of text.matchAll(/\{\{\s*param\.([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g)) {
      names.add(match[1] as string);
    }
  }
  return [...names];
}

/** Durable delivery (`send`, POST …/deliveries), the way most callers should call. */
export function callSnippets(target: CallTarget): CallSnippets {
  const params = Object.fromEntries(target.params.map((name) => [name, `<${name}>`]));
  const payload = {
    environment: target.environment,
    body: sampleBody,
    ...(target.params.length > 0 ? { params } : {}),
  };
  const query = target.project ? `?project=${encodeURIComponent(target.project)}` : '';
  const path = `/api/v1/connections/${encodeURIComponent(target.name)}/deliveries${query}`;
  const curl = [
    `curl -X POST "$HOOKLINE_URL${path}"`,
    `  -H "Authorization: Bearer $HOOKLINE_TOKEN"`,
    `  -H 'Content-Type: application/json'`,
    `  --data-binary ${shellWord(JSON.stringify(payload))}`,
  ].join(' \\\n');
  const cli = [
    `hookline send ${shellWord(target.name)} --env ${shellWord(target.environment)}`,
    ...(target.project ? [`  --project ${shellWord(target.project)}`] : []),
    `  --data ${shellWord(JSON.stringify(sampleBody))}`,
    ...target.params.map((name) => `  --param ${shellWord(`${name}=<${name}>`)}`),
    '  --wait',
  ].join(' \\\n');
  const node = [
    `const response = await fetch(\`\${process.env.HOOKLINE_URL}${path}\`, {`,
    `  method: 'POST',`,
    `  headers: {`,
    `    authorization: \`Bearer \${process.env.HOOKLINE_TOKEN}\`,`,
    `    'content-type': 'application/json',`,
    `  },`,
    `  body: JSON.stringify(${JSON.stringify(payload, null, 2).replace(/\n/g, '\n  ')}),`,
    `});`,
    `console.log(response.status, await response.json()); // 202 { id: 'dlv_…', status: 'pending' }`,
  ].join('\n');
  return { curl, cli, node };
}
