// The checks the form makes before any request, in step with the API's rules (contracts/
// connections.ts, headers.ts; DESIGN §1). Problems carry the API's own field paths
// (`environments.test.headers[1].value`), so the page's and the server's land in one place.
import { deliveryLimits, retryLimits } from '../../../../src/contracts/connection-limits.ts';
import type { EnvironmentKind } from '../../../../src/contracts/environments.ts';
import { parseTemplate, replaceReferences } from '../../../../src/contracts/templates.ts';
import {
  descriptionMaxLength,
  maxHeaders,
  nameMaxLength,
  toNumber,
  type Draft,
  type EnvironmentDraft,
  type HeaderRow,
  type Problem,
} from './draft.ts';

/**
 * Header names whose values are credentials, shown as password fields. A copy of
 * sensitiveHeaderPattern in src/contracts/headers.ts (that module builds zod schemas when it
 * loads, which the console's bundle should not carry) — keep the two in step.
 */
const sensitiveHeaderPattern =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-honeycomb-team|x-auth|key|(?!idempotency[-_]key$).*[-_]key|.*api-?key.*|.*token.*|.*secret.*|.*signature.*|.*passw(or)?d.*|.*credentials?.*|.*session.*)$/i;

export function isSensitiveHeaderName(name: string): boolean {
  return sensitiveHeaderPattern.test(name.trim());
}

/**
 * A value that is only references — `{{secret.TOKEN}}`, `Bearer {{secret.TOKEN}}` (an
 * authorization scheme word first), `{{var.USER}}:{{secret.PASSWORD}}` — holds no credential of
 * its own: it stays readable while typed, as does an unfinished `{{…` at its end. Any other
 * literal text is masked like a credential.
 */
const referencesOnlyPattern =
  /^\s*(?:[A-Za-z][A-Za-z0-9_-]*\s+)?(?:\{\{[^{}]*\}\}[\s:;,./|-]*)*(?:\{\{[^{}]*)?$/;

export function isReferencesOnly(value: string): boolean {
  return value.includes('{{') && referencesOnlyPattern.test(value);
}

/** RFC 9110 token, and the hop-by-hop/framing names Hookline sets itself (contracts/headers.ts). */
export const headerTokenPattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const forbiddenHeaderNames = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-connection',
  'content-length',
  'host',
]);

/** What is wrong with a name as the name rules (DESIGN §1) see it, or undefined. */
export function nameProblem(name: string): string | undefined {
  if (name === '') return 'name is required';
  if (name.length > nameMaxLength) return `at most ${nameMaxLength} characters`;
  if (name.trim() !== name) return 'no space at the start or the end';
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) return 'only letters, digits, _ - and . (no spaces)';
  return undefined;
}

export function templateProblem(text: string): string | undefined {
  const parsed = parseTemplate(text);
  return 'problem' in parsed ? parsed.problem : undefined;
}

export function urlProblem(url: string): string | undefined {
  if (url.trim() === '') return 'Full URL is required';
  const template = templateProblem(url);
  if (template) return template;
  if (!/^https?:\/\//i.test(url)) return 'start with http:// or https://';
  if (/[\s\0]/.test(url)) return 'no spaces in a URL (encode them as %20)';
  let parsed: URL;
  try {
    parsed = new URL(replaceReferences(url, 'x'));
  } catch {
    return 'not an absolute URL';
  }
  if (parsed.username || parsed.password) {
    return 'no credentials in the URL: send them in an Authorization header';
  }
  return undefined;
}

function rangeProblem(
  text: string,
  min: number,
  max: number,
  what: string,
  whole = false,
): string | undefined {
  const value = toNumber(text);
  if (Number.isNaN(value)) return `${what} is required`;
  if ((whole && !Number.isInteger(value)) || value < min || value > max) {
    return `${whole ? 'a whole number ' : ''}from ${min} to ${max}`;
  }
  return undefined;
}

export function headerProblems(env: string, rows: HeaderRow[]): Problem[] {
  const problems: Problem[] = [];
  const at = (i: number, field: 'name' | 'value') => `environments.${env}.headers[${i}].${field}`;
  const seen = new Map<string, number>();
  if (rows.length > maxHeaders) {
    problems.push({
      path: `environments.${env}.headers`,
      message: `at most ${maxHeaders} headers`,
    });
  }
  rows.forEach((row, i) => {
    const name = row.name;
    if (name.trim() === '') problems.push({ path: at(i, 'name'), message: 'name is required' });
    else if (!headerTokenPattern.test(name)) {
      problems.push({
        path: at(i, 'name'),
        message: "only letters, digits and !#$%&'*+-.^_`|~ (no spaces or colons)",
      });
    } else if (forbiddenHeaderNames.has(name.toLowerCase())) {
      problems.push({ path: at(i, 'name'), message: `Hookline sets ${name} itself` });
    } else {
      const first = seen.get(name.toLowerCase());
      if (first === undefined) seen.set(name.toLowerCase(), i);
      else {
        problems.push({
          path: at(i, 'name'),
          message: `duplicate: row ${first + 1} sets ${name} already (names ignore case)`,
        });
      }
    }
    if (row.value.trim() === '')
      problems.push({ path: at(i, 'value'), message: 'value is required' });
    else {
      const template = templateProblem(row.value);
      if (template) problems.push({ path: at(i, 'value'), message: template });
    }
  });
  return problems;
}

export function environmentProblems(
  env: string,
  e: EnvironmentDraft,
  kind: EnvironmentKind | undefined,
): Problem[] {
  const problems: Problem[] = [];
  const add = (field: string, message: string | undefined) => {
    if (message) problems.push({ path: `environments.${env}.${field}`, message });
  };
  add('url', urlProblem(e.url));
  problems.push(...headerProblems(env, e.headers));
  add('connectTimeoutMs', rangeProblem(e.connectTimeoutSeconds, 1, 60, 'connect timeout'));
  add('requestTimeoutMs', rangeProblem(e.requestTimeoutSeconds, 1, 60, 'request timeout'));
  const pool = toNumber(e.poolSize);
  if (Number.isNaN(pool) || !Number.isInteger(pool) || pool < 0 || pool > 1024) {
    add('poolSize', '0 (managed by the server) or a whole number from 1 to 1024');
  }
  add('idleTimeoutMs', rangeProblem(e.idleTimeoutSeconds, 0.1, 600, 'idle timeout'));
  if (e.retryOn) {
    const { maxAttempts, waitSeconds, maxWaitSeconds, maxAgeSeconds } = retryLimits;
    add(
      'retry.maxAttempts',
      rangeProblem(e.maxAttempts, maxAttempts.min, maxAttempts.max, 'attempts', true),
    );
    add('retry.waitSeconds', rangeProblem(e.waitSeconds, waitSeconds.min, waitSeconds.max, 'wait'));
    if (e.maxWaitSeconds.trim() !== '') {
      const problem = rangeProblem(
        e.maxWaitSeconds,
        maxWaitSeconds.min,
        maxWaitSeconds.max,
        'maximum wait',
      );
      add('retry.maxWaitSeconds', problem);
      if (!problem && toNumber(e.maxWaitSeconds) < toNumber(e.waitSeconds)) {
        add('retry.maxWaitSeconds', 'not less than the wait between attempts');
      }
    }
    if (e.maxAgeSeconds.trim() !== '') {
      add(
        'retry.maxAgeSeconds',
        rangeProblem(e.maxAgeSeconds, maxAgeSeconds.min, maxAgeSeconds.max, 'maximum age'),
      );
    }
  }
  const { maxConcurrency, ratePerSecond } = deliveryLimits;
  if (e.maxConcurrency.trim() !== '') {
    add(
      'delivery.maxConcurrency',
      rangeProblem(e.maxConcurrency, maxConcurrency.min, maxConcurrency.max, 'concurrency', true),
    );
  }
  if (e.ratePerSecond.trim() !== '') {
    add(
      'delivery.ratePerSecond',
      rangeProblem(e.ratePerSecond, ratePerSecond.min, ratePerSecond.max, 'rate'),
    );
  }
  if (e.signingScheme !== 'none') {
    if (!/^\{\{\s*secret\.[A-Za-z_][A-Za-z0-9_.-]{0,99}\s*\}\}$/.test(e.signingSecret.trim())) {
      add('signing.secret', 'choose the secret that holds the signing key');
    }
    if (e.signingScheme === 'hmac-sha256' && !headerTokenPattern.test(e.signingHeader)) {
      add('signing.header', 'a header name, e.g. X-Signature-256');
    }
  }
  if (!e.tlsVerify && kind === 'production') {
    add('tls.verify', 'TLS verification cannot be turned off in a production environment');
  }
  return problems;
}

/** Every problem the form can see by itself, at the API's field paths. */
export function draftProblems(
  draft: Draft,
  kinds: Record<string, EnvironmentKind | undefined>,
): Problem[] {
  const problems: Problem[] = [];
  const name = nameProblem(draft.name);
  if (name) problems.push({ path: 'name', message: name });
  if (draft.description.length > descriptionMaxLength) {
    problems.push({ path: 'description', message: `at most ${descriptionMaxLength} characters` });
  }
  const environments = Object.entries(draft.environments);
  if (environments.length === 0) {
    problems.push({
      path: 'environments',
      message: 'add parameters for at least one environment',
    });
  }
  for (const [id, e] of environments) problems.push(...environmentProblems(id, e, kinds[id]));
  return problems;
}
