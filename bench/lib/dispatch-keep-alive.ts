import { Client, Pool } from 'undici';
import { measurePair, type PairPlan, type PairRow } from './dispatch-compare.ts';
import type { LocalTarget } from './dispatch-target.ts';

/** The same small JSON POST every keep-alive measurement sends. */
const payload = JSON.stringify({ event: 'order.created', data: { id: 42, total: '19.90' } });
const headers = { 'content-type': 'application/json', 'user-agent': 'Hookline' };

async function expectOk(dispatcher: Pool | Client, index: number): Promise<void> {
  const response = await dispatcher.request({
    path: `/hooks/${index}`,
    method: 'POST',
    headers,
    body: payload,
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) {
    throw new Error(`expected 200, got ${response.statusCode}: ${text.slice(0, 200)}`);
  }
}

/**
 * Part (c): raw undici through a keep-alive Pool against a new TCP (and TLS) connection per
 * request — a new Client per call, closed after the answer, so every TLS handshake is a full
 * one (a new Client has a session cache of its own: nothing is resumed). Both sides are plain
 * undici: what is measured is the connection, not Hookline.
 */
export async function measureKeepAlive(options: {
  target: LocalTarget;
  cases: ReadonlyArray<{ protocol: 'http' | 'https'; concurrency: number }>;
  plan: PairPlan;
}): Promise<PairRow[]> {
  const { target, plan } = options;
  const rows: PairRow[] = [];
  for (const { protocol, concurrency } of options.cases) {
    const origin = protocol === 'https' ? target.httpsOrigin : target.httpOrigin;
    const connect = { ca: target.caPem };
    const pool = new Pool(origin, { connections: concurrency, connect });
    try {
      rows.push(
        await measurePair({
          key: `keep-alive-${protocol}-${concurrency}`,
          label: protocol.toUpperCase(),
          concurrency,
          plan,
          subject: (index) => expectOk(pool, index),
          async baseline(index) {
            const client = new Client(origin, { connect });
            try {
              await expectOk(client, index);
            } finally {
              await client.close();
            }
          },
        }),
      );
    } finally {
      await pool.close();
    }
  }
  return rows;
}
