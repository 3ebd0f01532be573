import type { EnvironmentParams } from '../../contracts/connections.ts';
import { createGuardedLookup, type EgressPolicy } from '../egress/index.ts';
import {
  compileRequest,
  TemplateUnresolvedError,
  type CompiledRequest,
  type FixedHeaderValues,
} from '../render/index.ts';
import { createSigner, type Signer } from '../signing/index.ts';
import type { PoolEntry, PoolSettings } from './agent-registry.ts';
import {
  charCountOf,
  createSecretMasker,
  minMaskedSecretChars,
  type SecretMasker,
} from './secret-masker.ts';
import { staticOriginOf } from './target-url.ts';

/** One deployed revision of a connection in one environment: what the runtime calls. */
export interface DeployedTarget {
  connectionId: string;
  name: string;
  /** the connection's project id; null: a global connection */
  project: string | null;
  enabled: boolean;
  revision: number;
  environmentId: string;
  params: EnvironmentParams;
  /**
   * A deployed revision: the values of its `{{var.*}}` pinned at deploy (name as referenced
   * → value; null: none then). Absent (Test Connection of a saved or draft configuration):
   * today's values, as a deploy now would pin them.
   */
  pinnedVariables?: Readonly<Record<string, string | null>>;
}

/** TLS material for a connection's `tls` settings (CA bundle, client certificate). */
export interface TlsMaterial {
  ca?: string[];
  cert?: string;
  key?: string;
  rejectUnauthorized: boolean;
}

/** What the engine needs from the rest of Hookline, passed in as callbacks (STYLE §5). */
export interface TargetSources {
  resolveSecret(name: string): Promise<string | undefined>;
  variableValue(name: string, environmentId: string): Promise<string | undefined>;
  resolveTls(tls: EnvironmentParams['tls']): Promise<TlsMaterial>;
  egressPolicy(environmentId: string): Promise<EgressPolicy>;
}

export interface EngineLimits {
  /** poolSize 0: the server's choice (DESIGN §2: 24 per origin) */
  defaultPoolSize: number;
  maxResponseBytes: number;
}

/**
 * Everything about a target that does not change from one request to the next, built once
 * per deployed revision: compiled templates, resolved variables and secrets, the signer with
 * its decoded key, the TLS material and the egress policy. A request then only renders.
 */
export interface PreparedTarget {
  target: DeployedTarget;
  request: CompiledRequest;
  variables: ReadonlyMap<string, string>;
  secrets: ReadonlyMap<string, string>;
  signer: Signer | null;
  /** set when the signing secret is missing or unusable: every call fails with it */
  signingError: Error | null;
  /** set when a secret's value is too short to be masked: every call fails with it */
  secretsError: TemplateUnresolvedError | null;
  policy: EgressPolicy;
  poolSettings: PoolSettings;
  /** the URL shows a secret: the answer renders it again with the secret masked */
  urlHasSecrets: boolean;
  /** lower-cased names of the headers the signer sets: they replace any of the same name */
  signingHeaderNames: ReadonlySet<string>;
  /** lower-cased names of the configured headers (static even when values are templates) */
  headerNames: ReadonlySet<string>;
  /** a configured header has the name of one the signer sets (the signer's replaces it) */
  headersNameSignature: boolean;
  /** masks the resolved secret values in answers, in every encoded form; null: no secrets */
  masker: SecretMasker | null;
  /**
   * The same values replaced by `{{secret.NAME}}` (sent-request.ts), for the request an attempt
   * records; made on first use, since only deliveries describe their requests.
   */
  marker: SecretMasker | null | undefined;
  /** lower-cased names of configured headers whose value uses a secret: not sent to another origin */
  secretHeaderNames: ReadonlySet<string>;
  /** the keep-alive pool of this deployed revision, once looked up (agent-registry.ts) */
  pool: PoolEntry | null;
  /** header values that use no params, rendered once (compile-request.ts fixHeaders) */
  fixedHeaders: FixedHeaderValues;
  /** the origin fixed by the URL template (no template before its path), if any */
  staticOrigin: StaticOrigin | null;
  /** egress decisions of IP-literal hosts by hostname (null: allowed or a name), bounded */
  hostDecisions: Map<string, ParsedTargetUrl['refused']>;
}

/** A rendered URL parsed once, with the egress decision for an IP-literal host. */
export interface ParsedTargetUrl {
  href: string;
  /** scheme://host[:port], as undici's dispatch takes it */
  origin: string;
  /** path and query */
  path: string;
  hostname: string;
  refused: { reason: string; range: string } | null;
}

/** The origin every rendered URL of a target starts with, when its template fixes one. */
export interface StaticOrigin {
  /** the URL template's text up to the path, as written */
  prefix: string;
  origin: string;
  hostname: string;
  refused: ParsedTargetUrl['refused'];
}

const tooShortReason = `its value is shorter than ${minMaskedSecretChars} characters, too short to be masked in answers: rotate it to a longer value`;

export async function prepareTarget(
  target: DeployedTarget,
  sources: TargetSources,
  limits: EngineLimits,
): Promise<PreparedTarget> {
  const { params } = target;
  // a caller's body may not use secrets: it would hand them to a target of the caller's
  // choosing (echoed back, or an invoke of a connection the caller may call but not read)
  const request = compileRequest(params, { secretsInBody: false });
  const references = request.references();
  const signingSecretName =
    params.signing.scheme === 'none' ? null : secretNameOf(params.signing.secret);
  const secretNames = new Set(references.secret);
  if (signingSecretName) secretNames.add(signingSecretName);

  const [variables, secrets, tls, policy] = await Promise.all([
    resolveAll(references.var, (name) => variableOf(target, name, sources)),
    resolveAll([...secretNames], (name) => sources.resolveSecret(name)),
    sources.resolveTls(params.tls),
    sources.egressPolicy(target.environmentId),
  ]);

  let signer: Signer | null = null;
  let signingError: Error | null = null;
  if (params.signing.scheme !== 'none' && signingSecretName) {
    const secret = secrets.get(signingSecretName);
    try {
      if (secret === undefined) throw new TemplateUnresolvedError([`secret.${signingSecretName}`]);
      signer = createSigner(params.signing, secret);
    } catch (error) {
      // a malformed whsec_ key: createSigner's error names the secret, never its value
      signingError = error as Error;
    }
  }

  const connections = params.poolSize === 0 ? limits.defaultPoolSize : params.poolSize;
  // values stored before secrets had a minimum length (or env and file values) are refused
  const tooShort = [...secrets]
    .filter(([, value]) => charCountOf(value) < minMaskedSecretChars)
    .map(([name]) => ({ reference: `secret.${name}`, reason: tooShortReason }));
  const masked = [...secrets.values()];
  // a whsec_ key's base64 part alone would be a leak as well
  for (const value of secrets.values()) if (value.startsWith('whsec_')) masked.push(value.slice(6));
  const headerNames = new Set(params.headers.map((header) => header.name.toLowerCase()));
  const signingHeaderNames = new Set(signingHeaderNamesOf(params.signing));
  return {
    urlHasSecrets: request.url.references.some((reference) => reference.namespace === 'secret'),
    headerNames,
    signingHeaderNames,
    headersNameSignature: [...signingHeaderNames].some((name) => headerNames.has(name)),
    masker: createSecretMasker(masked),
    marker: undefined,
    secretHeaderNames: new Set(
      request.headers
        .filter((header) => header.value.references.some((r) => r.namespace === 'secret'))
        .map((header) => header.name.toLowerCase()),
    ),
    hostDecisions: new Map(),
    staticOrigin: staticOriginOf(params.url, { policy }),
    fixedHeaders: request.fixHeaders({
      variable: (name) => variables.get(name),
      secret: (name) => secrets.get(name),
      param: () => undefined,
    }),
    pool: null,
    target,
    request,
    variables,
    secrets,
    signer,
    signingError,
    secretsError: tooShort.length > 0 ? new TemplateUnresolvedError([], tooShort) : null,
    policy,
    poolSettings: {
      connections,
      keepAliveTimeoutMs: params.idleTimeoutMs,
      connectTimeoutMs: params.connectTimeoutMs,
      headersTimeoutMs: params.requestTimeoutMs,
      bodyTimeoutMs: params.requestTimeoutMs,
      maxResponseBytes: limits.maxResponseBytes,
      connect: {
        lookup: createGuardedLookup(policy),
        ...(tls.ca ? { ca: tls.ca } : {}),
        ...(tls.cert ? { cert: tls.cert } : {}),
        ...(tls.key ? { key: tls.key } : {}),
        rejectUnauthorized: tls.rejectUnauthorized,
      },
    },
  };
}

async function variableOf(
  target: DeployedTarget,
  name: string,
  sources: TargetSources,
): Promise<string | undefined> {
  const pinned = target.pinnedVariables;
  if (!pinned) return sources.variableValue(name, target.environmentId);
  return Object.hasOwn(pinned, name) ? (pinned[name] ?? undefined) : undefined;
}

function signingHeaderNamesOf(signing: EnvironmentParams['signing']): string[] {
  if (signing.scheme === 'standard-webhooks') {
    return ['webhook-id', 'webhook-timestamp', 'webhook-signature'];
  }
  if (signing.scheme === 'hmac-sha256') return [signing.header.toLowerCase()];
  return [];
}

function secretNameOf(reference: string): string | null {
  return /^\s*\{\{\s*secret\.([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}\s*$/.exec(reference)?.[1] ?? null;
}

async function resolveAll(
  names: readonly string[],
  resolve: (name: string) => Promise<string | undefined>,
): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  await Promise.all(
    names.map(async (name) => {
      const value = await resolve(name);
      if (value !== undefined) values.set(name, value);
    }),
  );
  return values;
}
