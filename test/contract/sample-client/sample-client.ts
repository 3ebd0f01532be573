// A program a Hookline user would write with a client generated from /openapi.json by
// openapi-typescript (default options) and openapi-fetch. test/contract/generated-client.test.ts
// generates `hookline-api.ts` next to a copy of this file and type-checks both with tsc: if the
// document makes this honest program fail to compile (a defaulted field required, a boolean
// query typed as text, a missing status), the API contract is wrong, not this file.
// It is not part of the repository's own tsc run (tsconfig.json excludes this folder).
import createClient from 'openapi-fetch';
import type { components, paths } from './hookline-api.ts';

type ApiError = components['schemas']['Error'];

export async function tour(baseUrl: string, token: string): Promise<string[]> {
  const hookline = createClient<paths>({
    baseUrl,
    headers: { Authorization: `Bearer ${token}` },
  });
  const said: string[] = [];

  // create with only the required fields: every defaulted field may be left out
  const created = await hookline.POST('/api/v1/connections', {
    body: {
      name: 'Slack_Alerts',
      environments: {
        production: { method: 'POST', url: 'https://hooks.slack.com/services/T000/B000' },
      },
    },
  });
  if (created.error) return [describe(created.error)];
  const connection = created.data;
  said.push(`created ${connection.id} revision ${connection.revision} at ${connection.createdAt}`);
  const etag: string | null = created.response.headers.get('ETag');
  said.push(`etag ${etag ?? 'none'}`);

  // a change with the revision read, refused with REVISION_CONFLICT if someone saved since
  const patched = await hookline.PATCH('/api/v1/connections/{id}', {
    params: { path: { id: connection.id }, header: { 'if-match': `"${connection.revision}"` } },
    body: { description: 'alerts for the on-call channel' },
  });
  if (patched.error) said.push(describe(patched.error));

  const deployed = await hookline.POST('/api/v1/connections/{id}/deploy', {
    params: { path: { id: connection.id } },
    body: { environment: 'production' },
  });
  if (deployed.error) {
    said.push(
      deployed.error.error.code === 'APPROVAL_REQUIRED'
        ? `waits for approval ${String(deployed.error.error.details?.approvalId)}`
        : describe(deployed.error),
    );
  } else {
    said.push(`deploy: ${deployed.data.outcome}`);
  }

  // invoke with only the environment: params, headers and body are optional
  const invoked = await hookline.POST('/api/v1/connections/{id}/invoke', {
    params: { path: { id: connection.id } },
    body: { environment: 'production' },
  });
  if (invoked.error) said.push(describe(invoked.error));
  else said.push(`invoke: ${invoked.data.outcome} ${invoked.data.status ?? '-'}`);

  // a durable delivery, once per key
  const accepted = await hookline.POST('/api/v1/connections/{id}/deliveries', {
    params: { path: { id: connection.id }, header: { 'idempotency-key': 'order-1042' } },
    body: { environment: 'production', body: { text: 'disk almost full' } },
  });
  if (accepted.error) said.push(describe(accepted.error));
  else said.push(`delivery ${accepted.data.id} ${accepted.data.status}`);

  // lists: boolean filters are booleans; pages follow `next`
  let cursor: string | undefined;
  do {
    const page = await hookline.GET('/api/v1/connections', {
      params: { query: { enabled: true, global: false, limit: 100, cursor } },
    });
    if (page.error) return [...said, describe(page.error)];
    for (const item of page.data.items) said.push(`${item.name} (${item.enabled ? 'on' : 'off'})`);
    cursor = page.data.next ?? undefined;
  } while (cursor);

  const taken = await hookline.GET('/api/v1/connections/name-exists', {
    params: { query: { name: 'Slack_Alerts' } },
  });
  if (taken.data?.exists) said.push('the name is taken');

  const limited = await hookline.GET('/api/v1/environments');
  if (limited.response.status === 429) {
    said.push(`slow down: retry after ${limited.response.headers.get('Retry-After') ?? '?'} s`);
  }

  const removed = await hookline.DELETE('/api/v1/connections/{id}', {
    params: { path: { id: connection.id } },
  });
  if (removed.error) said.push(describe(removed.error));
  return said;
}

function describe(answer: ApiError): string {
  return `${answer.error.code}: ${answer.error.message}`;
}
