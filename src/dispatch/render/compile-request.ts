import type { EnvironmentParams } from '../../contracts/connections.ts';
import { parseTemplate, type TemplateNamespace } from '../../contracts/templates.ts';
import { InvalidRequestError } from './invalid-request-error.ts';
import {
  compileTemplate,
  recordProblem,
  refusedReasons,
  substituteValue,
  throwIfProblems,
  type CompiledTemplate,
  type RenderOptions,
  type TemplateProblems,
  type TemplateValues,
} from './compile-template.ts';

/** What one call sends, rendered: the bytes of `body` are the bytes to sign and send. */
export interface RenderedRequest {
  url: string;
  /** configured headers in configured order, names as written */
  headers: Array<[string, string]>;
  /** undefined: no body */
  body: Buffer | undefined;
}

/** Per configured header, in order: its value rendered once, or undefined (render per call). */
export type FixedHeaderValues = ReadonlyArray<string | undefined>;

/** The names a connection's URL and headers refer to, each once, in order of first use. */
export interface RequestReferences {
  var: string[];
  secret: string[];
  param: string[];
}

export interface CompileRequestOptions {
  /**
   * Whether `{{secret.X}}` in a call's body is substituted (default true). A body comes from
   * the caller, so a caller could place a secret the connection uses in it and read it back
   * from a target that echoes its request: the engine compiles with false (DESIGN §1
   * Templates), which refuses such references with TEMPLATE_UNRESOLVED.
   */
  secretsInBody?: boolean;
}

/** The URL and header templates of one environment's parameters, compiled once per revision. */
export interface CompiledRequest {
  readonly url: CompiledTemplate;
  readonly headers: ReadonlyArray<{ name: string; value: CompiledTemplate }>;
  /**
   * Renders URL, headers and body for one call. `body`: a string is the exact text to send
   * (well-formed references in it are substituted verbatim, the rest is never parsed); a
   * Buffer/Uint8Array is sent as is, without templates; any other value (object, array,
   * number, boolean, null) is a JSON value, stringified once, with references substituted
   * inside its string values only (values land JSON-escaped: no injection); undefined sends
   * no body. Throws one TemplateUnresolvedError naming every problem of the whole request;
   * when every reference has a value but some value makes the request invalid HTTP (a header
   * value RFC 9110 refuses, a '.' or '..' segment in the rendered path), an
   * InvalidRequestError naming the header or the path; and a TypeError for a body that is not
   * a JSON value (a function, a BigInt, a cycle).
   */
  render(values: TemplateValues, body: unknown, fixed?: FixedHeaderValues): RenderedRequest;
  /**
   * The values of the headers that use no `{{param.*}}`, rendered once with `values` (the
   * variables and secrets of a prepared target): they are the same for every call, so
   * `render` reuses them (the same flat strings each time) instead of rebuilding them. A
   * header that does not render cleanly is left to `render`, which reports its problem.
   */
  fixHeaders(values: TemplateValues): FixedHeaderValues;
  /** the variables, secrets and params the URL and headers need (not the signing secret) */
  references(): RequestReferences;
}

/** Why a `{{secret.*}}` in a call's body is refused (compiled with secretsInBody: false). */
export const bodySecretRefusedReason = "secrets are not substituted in a call's body";
const secretsRefusedReason = bodySecretRefusedReason;
// Candidates for a reference in a body: the syntax is checked by parseTemplate. 256 chars is
// far above the longest reference ('{{' + 'secret.' + 100-char name + '}}' = 111) plus spaces,
// and bounds the work per '{{' so a body full of braces scans in linear time.
const bodyCandidatePattern = /\{\{[^{}]{1,256}\}\}/g;

/**
 * Compiles what a connection sends in one environment. Call once per deployed revision and
 * environment; `render` then only substitutes.
 */
export function compileRequest(
  params: Pick<EnvironmentParams, 'url' | 'headers'>,
  options: CompileRequestOptions = {},
): CompiledRequest {
  const url = compileTemplate(params.url);
  const pathGuard = compilePathGuard(params.url);
  const headers = params.headers.map((h) => ({
    name: h.name,
    value: compileTemplate(h.value),
    at: `header '${h.name}'`,
  }));
  const references = collectReferences([url, ...headers.map((h) => h.value)]);
  const bodyRules: BodyRules = { secretsAllowed: options.secretsInBody ?? true };

  return {
    url,
    headers,
    references: () => ({
      var: [...references.var],
      secret: [...references.secret],
      param: [...references.param],
    }),
    fixHeaders(values) {
      return headers.map((header) => {
        if (header.value.references.some((reference) => reference.namespace === 'param')) {
          return undefined;
        }
        const problems: TemplateProblems = { missing: [], refused: [] };
        const value = header.value.render(values, { headerValue: true, problems });
        return problems.missing.length + problems.refused.length === 0 ? value : undefined;
      });
    },
    render(values, body, fixed) {
      const problems: TemplateProblems = { missing: [], refused: [], at: 'the URL' };
      const renderedUrl = url.render(values, { encodeParams: true, problems });
      if (pathGuard !== null) pathGuard(renderedUrl, problems);
      if (problems.refused.length > 0) placeDotSegmentsInPath(problems);
      const headerOptions: RenderOptions = { headerValue: true, problems };
      const renderedHeaders: Array<[string, string]> = new Array(headers.length);
      for (let i = 0; i < headers.length; i++) {
        const header = headers[i] as (typeof headers)[number];
        let value = fixed?.[i];
        if (value === undefined) {
          problems.at = header.at;
          value = header.value.render(values, headerOptions);
        }
        renderedHeaders[i] = [header.name, value];
      }
      problems.at = undefined;
      const renderedBody = renderBody(body, values, problems, bodyRules);
      throwRequestProblems(problems);
      return { url: renderedUrl, headers: renderedHeaders, body: renderedBody };
    },
  };
}

const invalidRequestReasons = new Set<string>([
  refusedReasons.headerValue,
  refusedReasons.dotSegment,
  refusedReasons.malformedUnicode,
]);

/**
 * A missing reference (or one refused for another reason) is TEMPLATE_UNRESOLVED; when every
 * reference has a value and only values make the request invalid HTTP, INVALID_REQUEST.
 */
function throwRequestProblems(problems: TemplateProblems): void {
  if (
    problems.missing.length === 0 &&
    problems.refused.length > 0 &&
    problems.refused.every((refused) => invalidRequestReasons.has(refused.reason))
  ) {
    throw new InvalidRequestError(problems.refused);
  }
  throwIfProblems(problems);
}

const pathPlace = 'the URL path';
/** a character that can make a dot segment: '.', or the '%' of %2e */
const dotLikePattern = /\.|%2e/i;
const dotSegmentPattern = /^(?:\.|%2e){1,2}$/i;

/**
 * The dot-segment guard on the rendered path (DESIGN §1 Templates): URL parsers resolve '.'
 * and '..' segments — '%2e' counts as a dot, '\\' as a '/' —, so values that form one, alone
 * (`/orders/{{param.id}}` with '..') or together (`/base/{{param.a}}.{{param.b}}/tail` with
 * '.' and ''), would send the request to another path. A rendered path with more dot
 * segments than the template's own text has is refused, naming the params of the path.
 * null when the path uses no param (variables and secrets are configuration). Per call it
 * costs one regex test unless the path holds a dot.
 */
function compilePathGuard(
  urlTemplate: string,
): ((renderedUrl: string, problems: TemplateProblems) => void) | null {
  const parsed = parseTemplate(urlTemplate);
  if ('problem' in parsed) return null;
  // the template's path with each reference as a neutral 'x': its own dot segments
  let neutral = '';
  let cursor = 0;
  const pathParams: string[] = [];
  for (const reference of parsed.references) {
    const at = urlTemplate.indexOf(reference.raw, cursor);
    neutral += urlTemplate.slice(cursor, at) + 'x';
    const range = pathRangeOf(neutral);
    if (
      reference.namespace === 'param' &&
      range.start < neutral.length &&
      range.end === neutral.length
    ) {
      const key = `param.${reference.name}`;
      if (!pathParams.includes(key)) pathParams.push(key);
    }
    cursor = at + reference.raw.length;
  }
  neutral += urlTemplate.slice(cursor);
  if (pathParams.length === 0) return null;
  const ownDotSegments = countDotSegments(pathOf(neutral));
  return (renderedUrl, problems) => {
    const path = pathOf(renderedUrl);
    if (!dotLikePattern.test(path) || countDotSegments(path) <= ownDotSegments) return;
    for (const reference of pathParams) {
      recordProblem(problems, reference, { reason: refusedReasons.dotSegment });
    }
  };
}

/** A dot segment, found by the guard or by the render of a whole-segment param, is the path's. */
function placeDotSegmentsInPath(problems: TemplateProblems): void {
  for (const refused of problems.refused) {
    if (refused.reason === refusedReasons.dotSegment) refused.at = pathPlace;
  }
}

/** Where the path of an absolute URL text starts and ends (before '?' or '#'). */
function pathRangeOf(text: string): { start: number; end: number } {
  const schemeEnd = text.indexOf('://');
  const start = schemeEnd === -1 ? 0 : findFrom(text, pathStartPattern, schemeEnd + 3);
  if (start === text.length || text[start] === '?' || text[start] === '#') {
    return { start, end: start };
  }
  return { start, end: findFrom(text, pathEndPattern, start) };
}
const pathStartPattern = /[/\\?#]/g;
const pathEndPattern = /[?#]/g;

function pathOf(text: string): string {
  const { start, end } = pathRangeOf(text);
  return text.slice(start, end);
}

/** The index of the first match of global `pattern` at or after `from`, or the text's length. */
function findFrom(text: string, pattern: RegExp, from: number): number {
  pattern.lastIndex = from;
  const found = pattern.exec(text);
  return found === null ? text.length : found.index;
}

function countDotSegments(path: string): number {
  let count = 0;
  for (const segment of path.split(/[/\\]/)) if (dotSegmentPattern.test(segment)) count += 1;
  return count;
}

function collectReferences(templates: CompiledTemplate[]): RequestReferences {
  const found: Record<TemplateNamespace, Set<string>> = {
    var: new Set(),
    secret: new Set(),
    param: new Set(),
  };
  for (const template of templates) {
    for (const reference of template.references) found[reference.namespace].add(reference.name);
  }
  return { var: [...found.var], secret: [...found.secret], param: [...found.param] };
}

interface BodyRules {
  secretsAllowed: boolean;
}

function renderBody(
  body: unknown,
  values: TemplateValues,
  problems: TemplateProblems,
  rules: BodyRules,
): Buffer | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string') {
    return Buffer.from(renderBodyText(body, values, problems, rules), 'utf8');
  }
  if (body instanceof Uint8Array) {
    return Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.length);
  }
  let text: string | undefined = JSON.stringify(body);
  if (text === undefined) {
    throw new TypeError('the body is not a JSON value (a function, a symbol or undefined)');
  }
  // Most bodies hold no reference: one stringify, no replacer calls.
  if (text.includes('{{')) {
    text = JSON.stringify(body, (_key, value: unknown) =>
      typeof value === 'string' ? renderBodyText(value, values, problems, rules) : value,
    ) as string;
  }
  return Buffer.from(text, 'utf8');
}

const bodyOptions: RenderOptions = {};

/**
 * Substitutes the well-formed references in a body text and leaves everything else alone:
 * unlike a URL or a header, a body is data, where `}}` and `{{` occur on their own
 * (`{"a":{"b":{}}}`). A value lands verbatim.
 */
function renderBodyText(
  text: string,
  values: TemplateValues,
  problems: TemplateProblems,
  rules: BodyRules,
): string {
  if (!text.includes('{{')) return text;
  const pattern = bodyCandidatePattern;
  pattern.lastIndex = 0;
  let out = '';
  let copiedTo = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    // values() is caller code; keep our place in case it renders too
    const resumeAt = pattern.lastIndex;
    const candidate = match[0];
    const parsed = parseTemplate(candidate);
    const reference = 'references' in parsed ? parsed.references[0] : undefined;
    if (reference === undefined || reference.raw !== candidate) continue;
    out += text.slice(copiedTo, match.index);
    copiedTo = resumeAt;
    const key = `${reference.namespace}.${reference.name}`;
    if (reference.namespace === 'secret' && !rules.secretsAllowed) {
      recordProblem(problems, key, { reason: secretsRefusedReason });
      continue;
    }
    const value = substituteValue(values, reference.namespace, reference.name, bodyOptions, false);
    if (typeof value === 'string') out += value;
    else recordProblem(problems, key, value);
    pattern.lastIndex = resumeAt;
  }
  return copiedTo === 0 ? text : out + text.slice(copiedTo);
}

/** What a caller is told when its body names secrets (`references`: `secret.NAME` each). */
export function describeBodySecrets(references: readonly string[]): string {
  const named = references.map((reference) => `{{${reference}}}`).join(', ');
  return `a call's body may use {{param.*}} and {{var.*}}, not secrets (${named}): secrets are placed only by the connection's own URL, headers and signing`;
}

/**
 * The `{{secret.NAME}}` references in a call's body (a text, or the string values of a JSON
 * value), each once: a caller's body may use params and variables, never secrets. Checked
 * when a delivery is accepted, so it is refused then rather than dead-lettered later.
 */
export function secretReferencesInBody(body: unknown): string[] {
  if (body === undefined || body === null) return [];
  if (typeof body !== 'string' && (typeof body !== 'object' || body instanceof Uint8Array)) {
    return [];
  }
  // most bodies hold no reference at all: one stringify, no walk
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  if (!text.includes('{{')) return [];
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (!value.includes('{{')) return;
      const pattern = new RegExp(bodyCandidatePattern.source, 'g');
      for (const match of value.matchAll(pattern)) {
        const parsed = parseTemplate(match[0]);
        const reference = 'references' in parsed ? parsed.references[0] : undefined;
        if (reference?.namespace === 'secret' && reference.raw === match[0]) {
          found.add(reference.name);
        }
      }
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (typeof value === 'object' && value !== null) {
      for (const key in value) visit((value as Record<string, unknown>)[key]);
    }
  };
  visit(body);
  return [...found];
}
