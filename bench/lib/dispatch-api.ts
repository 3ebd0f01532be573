import Fastify from 'fastify';
import { Pool } from 'undici';
import { bodyLimitBytes } from '../../src/api/create-app.ts';
import { defaultEngineOptions } from '../../src/dispatch/engine/index.ts';
import { createHttpClient, type HttpClient } from './http-client.ts';
import { benchSecrets, benchVariables, rawHeaders } from './dispatch-payload.ts';
import { startHookline } from './start-hookline.ts';

/** One side of part (b): where the load process sends `POST <path>` with an invoke body. */
export interface InvokeEndpoint {
  url: string;
  path: string;
  token: string;
}

export interface ApiSides {
  subject: InvokeEndpoint;
  baseline: InvokeEndpoint;
  close(): Promise<void>;
}

/** Part (b) cannot run yet: what the API is missing, for the report. */
export interface ApiNotReady {
  missing: string;
}

const connectionName = 'bench-invoke';

/**
 * Part (b)'s two servers in this process: the real Hookline API (as bench/lib/start-hookline.ts
 * starts it: SQLite file, services, bootstrap token, Fastify) with a connection created and
 * deployed through the API itself, and a minimal Fastify route that calls undici directly with
 * the same headers. Both call the HTTP origin given. Answers `{ missing }` when the API cannot
 * yet create, deploy or invoke a connection.
 */
export async function startApiSides(options: {
  dataDir: string;
  origin: string;
}): Promise<ApiSides | ApiNotReady> {
  const hookline = await startHookline(options.dataDir);
  const baseline = await startBaselineInvoke(options.origin);
  const close = async () => {
    await baseline.close();
    await hookline.close();
  };
  const client = createHttpClient({
    baseUrl: hookline.url,
    maxSockets: 1,
    headers: { authorization: `Bearer ${hookline.token}` },
  });
  let deployed: { id: string } | ApiNotReady;
  try {
    deployed = await deployBenchConnection(client, options.origin);
    if ('missing' in deployed) {
      await close();
      return deployed;
    }
  } catch (error) {
    await close();
    throw error;
  } finally {
    client.close();
  }
  return {
    subject: {
      url: hookline.url,
      // by id, as an integration would keep it (a name costs one more lookup)
      path: `/api/v1/connections/${deployed.id}/invoke`,
      token: hookline.token,
    },
    baseline: { url: baseline.url, path: '/invoke', token: 'baseline-ignores-it' },
    close,
  };
}

/**
 * Secrets, a variable, the connection (same parameters as part (a)'s, over HTTP) and its
 * deployment to `development`, all through the API, then one invoke that must answer OK.
 * Answers the connection's id, or what failed.
 */
async function deployBenchConnection(
  client: HttpClient,
  origin: string,
): Promise<{ id: string } | ApiNotReady> {
  const step = async (what: string, method: string, path: string, body: unknown) => {
    const answer = await client.request(method, path, body);
    // a create answers 201, a deploy 200 or 201: any 2xx is taken
    const ok = answer.status >= 200 && answer.status < 300;
    return {
      ok,
      text: answer.text,
      problem: `${what}: ${answer.status} ${answer.text.slice(0, 300)}`,
    };
  };
  for (const [name, value] of benchSecrets) {
    const done = await step(`create secret ${name}`, 'POST', '/api/v1/secrets', { name, value });
    if (!done.ok) return { missing: done.problem };
  }
  for (const [name, value] of benchVariables) {
    const done = await step(`create variable ${name}`, 'POST', '/api/v1/variables', {
      name,
      values: { development: value },
    });
    if (!done.ok) return { missing: done.problem };
  }
  const created = await step('create the connection', 'POST', '/api/v1/connections', {
    name: connectionName,
    environments: {
      development: {
        method: 'POST',
        url: `${origin}/hooks/{{param.id}}`,
        headers: [
          { name: 'Authorization', value: 'Bearer {{secret.TARGET_TOKEN}}' },
          { name: 'Content-Type', value: 'application/json' },
          { name: 'X-Region', value: '{{var.REGION}}' },
        ],
        signing: { scheme: 'standard-webhooks', secret: '{{secret.SIGNING_KEY}}' },
      },
    },
  });
  if (!created.ok) return { missing: created.problem };
  const { id } = JSON.parse(created.text) as { id: string };
  const deployed = await step(
    'deploy it to development (POST /api/v1/connections/{id}/deploy)',
    'POST',
    `/api/v1/connections/${id}/deploy`,
    { environment: 'development' },
  );
  if (!deployed.ok) return { missing: deployed.problem };
  const invoked = await step(
    'invoke it (POST /api/v1/connections/{id}/invoke)',
    'POST',
    `/api/v1/connections/${id}/invoke`,
    { environment: 'development', body: { ping: true }, params: { id: 0 } },
  );
  if (!invoked.ok) return { missing: invoked.problem };
  if (!invoked.text.includes('"outcome":"OK"')) {
    return { missing: `the first invoke did not succeed: ${invoked.text.slice(0, 300)}` };
  }
  return { id };
}

/**
 * The baseline of part (b): a Fastify route that takes the same invoke body and calls the
 * target with raw undici (same pool size, the same headers as the engine sends, fixed), then
 * answers the outcome, status and body. No auth, no store, no templates, no signing, no
 * metrics: Hookline's time over this one is what Hookline adds around the call.
 */
async function startBaselineInvoke(origin: string) {
  const pool = new Pool(origin, {
    connections: defaultEngineOptions.defaultPoolSize,
    allowH2: false,
  });
  const headers = rawHeaders(defaultEngineOptions.userAgent);
  const app = Fastify({ logger: false, bodyLimit: bodyLimitBytes });
  app.post<{ Body: { body?: unknown; params?: { id?: unknown } } }>('/invoke', async (request) => {
    const response = await pool.request({
      path: `/hooks/${String(request.body.params?.id ?? '')}`,
      method: 'POST',
      headers,
      body: JSON.stringify(request.body.body),
    });
    const body = await response.body.text();
    return {
      outcome: response.statusCode < 300 ? 'OK' : 'HTTP_5XX',
      status: response.statusCode,
      body,
    };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await pool.close();
    },
  };
}
