// The connection editor's draft: what the form holds (numbers as typed, timeouts in seconds),
// how it comes from a Connection and goes back as the ConnectionIn body (milliseconds). The
// checks before any request are in checks.ts.
import type {
  Connection,
  ConnectionInput,
  HttpMethod,
} from '../../../../src/contracts/connections.ts';
import { parseTemplate } from '../../../../src/contracts/templates.ts';

/** The same list as httpMethods in contracts/connections.ts (a value import would bring zod). */
export const httpMethods: readonly HttpMethod[] = [
  'GET',
  'POST',
  'PUT',
  'DELETE',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'TRACE',
];

export type SigningScheme = 'none' | 'standard-webhooks' | 'hmac-sha256';
export type Backoff = 'fixed' | 'exponential';
type EnvironmentParamsIn = NonNullable<ConnectionInput['environments']>[string];

export interface HeaderRow {
  /** React's key for the row; never sent */
  key: number;
  name: string;
  value: string;
}

export interface EnvironmentDraft {
  method: HttpMethod;
  url: string;
  headers: HeaderRow[];
  connectTimeoutSeconds: string;
  requestTimeoutSeconds: string;
  poolSize: string;
  idleTimeoutSeconds: string;
  followRedirects: boolean;
  retryOn: boolean;
  maxAttempts: string;
  waitSeconds: string;
  backoff: Backoff;
  maxWaitSeconds: string;
  signingScheme: SigningScheme;
  /** `{{secret.NAME}}` */
  signingSecret: string;
  signingHeader: string;
  tlsVerify: boolean;
  caCertificates: string[];
  /** '' for none */
  keyStore: string;
  /** retry.maxAgeSeconds; '' for no age limit */
  maxAgeSeconds: string;
  /** delivery settings (durable deliveries only): FIFO, and '' for no limit */
  ordered: boolean;
  maxConcurrency: string;
  ratePerSecond: string;
}

export interface Draft {
  name: string;
  description: string;
  enabled: boolean;
  critical: boolean;
  project: string;
  global: boolean;
  environments: Record<string, EnvironmentDraft>;
}

export interface Problem {
  path: string;
  message: string;
}

export const nameMaxLength = 100;
export const descriptionMaxLength = 1000;
export const maxHeaders = 64;
export const defaultSigningHeader = 'X-Signature-256';

let nextRowKey = 1;
export function newHeaderRow(name = '', value = ''): HeaderRow {
  return { key: nextRowKey++, name, value };
}

/** A number as an input shows it: 2000 ms → "2", 2500 ms → "2.5". */
function seconds(ms: number): string {
  return String(Math.round(ms) / 1000);
}

export function newEnvironmentDraft(): EnvironmentDraft {
  return {
    method: 'POST',
    url: '',
    headers: [],
    connectTimeoutSeconds: '2',
    requestTimeoutSeconds: '2',
    poolSize: '0',
    idleTimeoutSeconds: '4',
    followRedirects: false,
    retryOn: false,
    maxAttempts: '3',
    waitSeconds: '1',
    backoff: 'exponential',
    maxWaitSeconds: '',
    signingScheme: 'none',
    signingSecret: '',
    signingHeader: defaultSigningHeader,
    tlsVerify: true,
    caCertificates: [],
    keyStore: '',
    maxAgeSeconds: '',
    ordered: false,
    maxConcurrency: '',
    ratePerSecond: '',
  };
}

export function newDraft(firstEnvironment: string | undefined): Draft {
  return {
    name: '',
    description: '',
    enabled: true,
    critical: false,
    project: 'default',
    global: false,
    environments: firstEnvironment ? { [firstEnvironment]: newEnvironmentDraft() } : {},
  };
}

export function draftOf(connection: Connection): Draft {
  const environments: Record<string, EnvironmentDraft> = {};
  for (const [id, p] of Object.entries(connection.environments)) {
    const signing = p.signing;
    environments[id] = {
      method: p.method,
      url: p.url,
      headers: p.headers.map((h) => newHeaderRow(h.name, h.value)),
      connectTimeoutSeconds: seconds(p.connectTimeoutMs),
      requestTimeoutSeconds: seconds(p.requestTimeoutMs),
      poolSize: String(p.poolSize),
      idleTimeoutSeconds: seconds(p.idleTimeoutMs),
      followRedirects: p.followRedirects,
      retryOn: p.retry !== undefined,
      maxAttempts: String(p.retry?.maxAttempts ?? 3),
      waitSeconds: String(p.retry?.waitSeconds ?? 1),
      backoff: p.retry?.backoff ?? 'exponential',
      maxWaitSeconds: p.retry?.maxWaitSeconds === undefined ? '' : String(p.retry.maxWaitSeconds),
      signingScheme: signing.scheme,
      signingSecret: signing.scheme === 'none' ? '' : signing.secret,
      signingHeader: signing.scheme === 'hmac-sha256' ? signing.header : defaultSigningHeader,
      tlsVerify: p.tls.verify,
      caCertificates: [...p.tls.caCertificates],
      keyStore: p.tls.keyStore ?? '',
      maxAgeSeconds: optionalText(p.retry?.maxAgeSeconds),
      ordered: p.delivery?.ordered ?? false,
      maxConcurrency: optionalText(p.delivery?.maxConcurrency),
      ratePerSecond: optionalText(p.delivery?.ratePerSecond),
    };
  }
  return {
    name: connection.name,
    description: connection.description,
    enabled: connection.enabled,
    critical: connection.critical,
    project: connection.project ?? 'default',
    global: connection.global,
    environments,
  };
}

/** A copy of another environment's parameters, with rows of its own. */
export function copyEnvironmentDraft(from: EnvironmentDraft): EnvironmentDraft {
  return {
    ...from,
    headers: from.headers.map((h) => newHeaderRow(h.name, h.value)),
    caCertificates: [...from.caCertificates],
  };
}

/** An optional number as an input shows it: undefined → ''. */
function optionalText(value: number | undefined): string {
  return value === undefined ? '' : String(value);
}

/** "2.5" → 2.5; '' or anything that is not a number → NaN (the checks say so first). */
export function toNumber(text: string): number {
  return text.trim() === '' ? NaN : Number(text);
}

function toMs(text: string): number {
  return Math.round(toNumber(text) * 1000);
}

/** The delivery settings, or nothing when they are all the defaults (not ordered, no limit). */
function deliveryBody(e: EnvironmentDraft): Pick<EnvironmentParamsIn, 'delivery'> {
  const concurrency = e.maxConcurrency.trim();
  const rate = e.ratePerSecond.trim();
  if (!e.ordered && concurrency === '' && rate === '') return {};
  return {
    delivery: {
      ordered: e.ordered,
      ...(concurrency === '' ? {} : { maxConcurrency: toNumber(concurrency) }),
      ...(rate === '' ? {} : { ratePerSecond: toNumber(rate) }),
    },
  };
}

function environmentBody(e: EnvironmentDraft): EnvironmentParamsIn {
  const signing =
    e.signingScheme === 'none'
      ? { scheme: 'none' as const }
      : e.signingScheme === 'standard-webhooks'
        ? { scheme: 'standard-webhooks' as const, secret: e.signingSecret }
        : { scheme: 'hmac-sha256' as const, secret: e.signingSecret, header: e.signingHeader };
  return {
    method: e.method,
    url: e.url,
    headers: e.headers.map(({ name, value }) => ({ name, value })),
    connectTimeoutMs: toMs(e.connectTimeoutSeconds),
    requestTimeoutMs: toMs(e.requestTimeoutSeconds),
    poolSize: toNumber(e.poolSize),
    idleTimeoutMs: toMs(e.idleTimeoutSeconds),
    followRedirects: e.followRedirects,
    ...(e.retryOn
      ? {
          retry: {
            maxAttempts: toNumber(e.maxAttempts),
            waitSeconds: toNumber(e.waitSeconds),
            backoff: e.backoff,
            ...(e.maxWaitSeconds.trim() === ''
              ? {}
              : { maxWaitSeconds: toNumber(e.maxWaitSeconds) }),
            ...(e.maxAgeSeconds.trim() === '' ? {} : { maxAgeSeconds: toNumber(e.maxAgeSeconds) }),
          },
        }
      : {}),
    ...deliveryBody(e),
    signing,
    tls: { verify: e.tlsVerify, caCertificates: e.caCertificates, keyStore: e.keyStore || null },
  };
}

/** The ConnectionIn body of a draft (POST, PUT, and the draft of Test Connection). */
export function bodyOf(draft: Draft): ConnectionInput {
  const environments: Record<string, EnvironmentParamsIn> = {};
  for (const [id, e] of Object.entries(draft.environments)) environments[id] = environmentBody(e);
  return {
    name: draft.name,
    description: draft.description,
    enabled: draft.enabled,
    critical: draft.critical,
    ...(draft.global ? { global: true } : { project: draft.project, global: false }),
    environments,
  };
}

/** The `{{param.NAME}}` names the texts use (an environment's URL and header values, a sample body), each once. */
export function paramNamesIn(texts: string[]): string[] {
  const names = new Set<string>();
  for (const text of texts) {
    const parsed = parseTemplate(text);
    if ('problem' in parsed) continue;
    for (const r of parsed.references) if (r.namespace === 'param') names.add(r.name);
  }
  return [...names];
}

/** `environments.test.headers[1].value` → ['environments', 'test', 'headers', 1, 'value'] */
export function pathSegments(path: string): Array<string | number> {
  const segments: Array<string | number> = [];
  for (const part of path.split('.')) {
    const match = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) {
      segments.push(part);
      continue;
    }
    if (match[1]) segments.push(match[1]);
    for (const index of (match[2] ?? '').matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  return segments;
}

/** The value at `path` in a body, as JSON (to tell whether a field changed since an answer). */
export function valueAt(body: unknown, path: string): string {
  let at: unknown = body;
  for (const segment of pathSegments(path)) {
    if (at === null || typeof at !== 'object') return 'undefined';
    at = (at as Record<string | number, unknown>)[segment];
  }
  return JSON.stringify(at) ?? 'undefined';
}
