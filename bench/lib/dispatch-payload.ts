import { randomBytes } from 'node:crypto';

/** Secrets of the benchmark connection: a bearer token and a standard-webhooks key. */
export const benchSecrets: ReadonlyMap<string, string> = new Map([
  ['TARGET_TOKEN', `tok_${randomBytes(24).toString('base64url')}`],
  ['SIGNING_KEY', `whsec_${randomBytes(24).toString('base64')}`],
]);

/** Variables of the benchmark connection (their development value). */
export const benchVariables: ReadonlyMap<string, string> = new Map([['REGION', 'eu-central-1']]);

/** The call body: a typical small event (≈ 120 bytes of JSON). */
export function eventBody(index: number) {
  return {
    type: 'order.created',
    id: `evt_${index}`,
    data: { orderId: index, total: '19.90', currency: 'EUR', customer: 'cus_0042' },
  };
}

/**
 * The headers the engine sends for the benchmark connection, with values of the same length,
 * fixed once: a raw client sends the same bytes without rendering or signing anything.
 */
export function rawHeaders(userAgent: string): Record<string, string> {
  return {
    authorization: `Bearer ${benchSecrets.get('TARGET_TOKEN')}`,
    'content-type': 'application/json',
    'x-region': benchVariables.get('REGION')!,
    'user-agent': userAgent,
    traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`,
    'webhook-id': `msg_${randomBytes(16).toString('base64url')}`,
    'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
    'webhook-signature': `v1,${randomBytes(32).toString('base64')}`,
  };
}
