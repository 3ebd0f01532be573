// Where a problem's field path (`environments.test.headers[1].value`) is on the page: the id of
// the control that shows it, the environment tab and the sub-tab it sits in, and how to name
// it in the summary. A path the page has no control for stays unmapped (summary only).

export type EnvironmentSection = 'headers' | 'settings';

export interface FieldPlace {
  /** the path of the control that shows the problem (ids are `f:<path>`) */
  path: string;
  /** the environment tab, for environment parameters */
  environment?: string;
  /** the sub-tab, for headers and settings */
  section?: EnvironmentSection;
}

export function fieldId(path: string): string {
  return `f:${path}`;
}

export function errorId(path: string): string {
  return `e:${path}`;
}

const general = new Set(['name', 'description', 'enabled', 'critical', 'project']);
const request = new Set(['method', 'url']);
const settings: Record<string, string> = {
  connectTimeoutMs: 'connectTimeoutMs',
  requestTimeoutMs: 'requestTimeoutMs',
  poolSize: 'poolSize',
  idleTimeoutMs: 'idleTimeoutMs',
  followRedirects: 'followRedirects',
  retry: 'retry',
  'retry.maxAttempts': 'retry.maxAttempts',
  'retry.waitSeconds': 'retry.waitSeconds',
  'retry.backoff': 'retry.backoff',
  'retry.maxWaitSeconds': 'retry.maxWaitSeconds',
  'retry.maxAgeSeconds': 'retry.maxAgeSeconds',
  delivery: 'delivery.ordered',
  'delivery.ordered': 'delivery.ordered',
  'delivery.maxConcurrency': 'delivery.maxConcurrency',
  'delivery.ratePerSecond': 'delivery.ratePerSecond',
  signing: 'signing.scheme',
  'signing.scheme': 'signing.scheme',
  'signing.secret': 'signing.secret',
  'signing.header': 'signing.header',
  tls: 'tls.verify',
  'tls.verify': 'tls.verify',
  'tls.keyStore': 'tls.keyStore',
  'tls.caCertificates': 'tls.caCertificates',
};

/**
 * The control a problem belongs to, or undefined when the page has none for it.
 * `headerCount` tells a row that exists from one that does not.
 */
export function placeOf(
  path: string,
  headerCount: (environment: string) => number | undefined,
): FieldPlace | undefined {
  if (general.has(path)) return { path };
  const match = /^environments\.([A-Za-z0-9][A-Za-z0-9_-]*)\.(.+)$/.exec(path);
  if (!match) return undefined;
  const environment = match[1] as string;
  const rest = (match[2] as string).replace(/^tls\.caCertificates\[\d+\]$/, 'tls.caCertificates');
  const base = `environments.${environment}.`;
  const count = headerCount(environment);
  if (count === undefined) return undefined;
  if (request.has(rest)) return { path: base + rest, environment };
  const header = /^headers\[(\d+)\](?:\.(name|value))?$/.exec(rest);
  if (header) {
    const index = Number(header[1]);
    if (index >= count) return undefined;
    return {
      path: `${base}headers[${index}].${header[2] ?? 'name'}`,
      environment,
      section: 'headers',
    };
  }
  if (rest === 'headers') return { path: base + 'headers', environment, section: 'headers' };
  const setting = settings[rest];
  if (setting) return { path: base + setting, environment, section: 'settings' };
  return undefined;
}

const fieldNames: Record<string, string> = {
  environment: 'Environment',
  name: 'Name',
  description: 'Description',
  enabled: 'Enabled',
  critical: 'Critical',
  project: 'Project',
  method: 'HTTP method',
  url: 'Full URL',
  headers: 'Headers',
  connectTimeoutMs: 'Connect timeout',
  requestTimeoutMs: 'Request timeout',
  poolSize: 'Pool size',
  idleTimeoutMs: 'Idle timeout',
  followRedirects: 'Follow redirects',
  'retry.maxAttempts': 'Retry: attempts',
  'retry.waitSeconds': 'Retry: wait',
  'retry.backoff': 'Retry: backoff',
  'retry.maxWaitSeconds': 'Retry: maximum wait',
  'retry.maxAgeSeconds': 'Retry: maximum age',
  'delivery.ordered': 'Delivery: FIFO',
  'delivery.maxConcurrency': 'Delivery: maximum concurrency',
  'delivery.ratePerSecond': 'Delivery: rate per second',
  'signing.scheme': 'Signing',
  'signing.secret': 'Signing secret',
  'signing.header': 'Signature header',
  'tls.verify': 'Verify TLS certificates',
  'tls.keyStore': 'Client key store',
  'tls.caCertificates': 'Extra CA certificates',
};

/** How the summary names a field: "Test › Header 2 value", or the raw path. */
export function describePath(path: string, environmentName: (id: string) => string): string {
  if (fieldNames[path]) return fieldNames[path];
  const match = /^environments\.([^.]+)\.(.+)$/.exec(path);
  if (path === 'environments') return 'Environments';
  if (!match) return path || 'The connection';
  const where = environmentName(match[1] as string);
  const rest = match[2] as string;
  const header = /^headers\[(\d+)\]\.(name|value)$/.exec(rest);
  if (header) return `${where} › Header ${Number(header[1]) + 1} ${header[2]}`;
  return `${where} › ${fieldNames[rest] ?? rest}`;
}
