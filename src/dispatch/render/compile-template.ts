import { isValidHeaderValue } from '../../contracts/headers.ts';
import {
  parseTemplate,
  type TemplateNamespace,
  type TemplateReference,
} from '../../contracts/templates.ts';
import { TemplateUnresolvedError, type RefusedReference } from './template-unresolved-error.ts';

/**
 * Where a render finds values. Each answers undefined when it has none, and the reference is
 * then reported missing. The engine builds one per call from what it resolved per revision.
 */
export interface TemplateValues {
  variable(name: string): string | undefined;
  secret(name: string): string | undefined;
  param(name: string): string | undefined;
}

/** The problems of several renders gathered, so one error names every one of a request. */
export interface TemplateProblems {
  missing: string[];
  refused: RefusedReference[];
  /** where the render in progress puts its values (`header 'X-Tenant'`): kept with a refusal */
  at?: string;
}

/** How a value lands in the text. */
export interface RenderOptions {
  /**
   * URL mode. `{{param.X}}` is encoded with encodeURIComponent (a caller's `a/b?c` stays one
   * path segment or query value), and a param that would form a whole `.` or `..` path
   * segment is refused: URL parsers resolve those (`%2e%2e` too), so `/orders/{{param.id}}/x`
   * with `..` would reach `/x`. `{{var.X}}` and `{{secret.X}}` are inserted as written: they
   * are configuration, and may carry a host (`{{var.HOST}}`) or several path segments (Slack's
   * `T000/B000/XXXX` webhook path kept as a secret), so they must already be URL-safe.
   */
  encodeParams?: boolean;
  /**
   * Header values: a value with a character RFC 9110 does not allow in a header (CR, LF, NUL
   * and other control characters, DEL, anything above U+00FF) is refused.
   */
  headerValue?: boolean;
  /** Gather problems here instead of throwing; the caller throws once for the whole request. */
  problems?: TemplateProblems;
}

/** A template parsed once: literal text and references, rendered per request without parsing. */
export interface CompiledTemplate {
  /** the template as configured */
  readonly text: string;
  /** its references in order of appearance (repeats included) */
  readonly references: readonly TemplateReference[];
  /**
   * The text with every reference replaced by its value. Without `options.problems`, throws a
   * TemplateUnresolvedError naming every problem of this template; with it, records them
   * there and answers a text that must not be sent.
   */
  render(values: TemplateValues, options?: RenderOptions): string;
}

interface CompiledReference {
  namespace: TemplateNamespace;
  name: string;
  /** `namespace.NAME`, as errors name it */
  key: string;
  /** in a URL: could be a whole path segment (before any `?`/`#`, between `/`s or other references) */
  wholePathSegment: boolean;
}

const noOptions: RenderOptions = {};
export const refusedReasons = {
  dotSegment: "a URL path segment may not be '.' or '..'",
  malformedUnicode: 'the value is not well-formed Unicode (a lone surrogate)',
  headerValue:
    'a header value may only hold visible ASCII, space, tab and Latin-1 characters (RFC 9110)',
} as const;

/**
 * Parses a template of a URL or a header value once (the syntax of contracts/templates.ts).
 * Throws on a syntax problem: configuration is validated when saved, so that is a bug.
 */
export function compileTemplate(text: string): CompiledTemplate {
  const parsed = parseTemplate(text);
  if ('problem' in parsed) throw new Error(`not a valid template: ${parsed.problem}`);
  const { references } = parsed;
  if (references.length === 0) {
    return { text, references, render: () => text };
  }

  // literals[i] stands before references[i]; the last literal ends the text
  const literals: string[] = [];
  const compiled: CompiledReference[] = [];
  let cursor = 0;
  let inPath = true;
  for (const reference of references) {
    const at = text.indexOf(reference.raw, cursor);
    const before = text.slice(cursor, at);
    literals.push(before);
    if (before.includes('?') || before.includes('#')) inPath = false;
    const after = text.slice(at + reference.raw.length);
    compiled.push({
      namespace: reference.namespace,
      name: reference.name,
      key: `${reference.namespace}.${reference.name}`,
      wholePathSegment:
        inPath && (before === '' || before.endsWith('/')) && startsSegmentEnd(after),
    });
    cursor = at + reference.raw.length;
  }
  const last = text.slice(cursor);

  return {
    text,
    references,
    render(values, options = noOptions) {
      let problems = options.problems;
      let out = '';
      for (let i = 0; i < compiled.length; i++) {
        out += literals[i] as string;
        const reference = compiled[i] as CompiledReference;
        const value = substituteValue(
          values,
          reference.namespace,
          reference.name,
          options,
          reference.wholePathSegment,
        );
        if (typeof value === 'string') {
          out += value;
          continue;
        }
        problems ??= { missing: [], refused: [] };
        recordProblem(problems, reference.key, value);
      }
      out += last;
      if (!options.problems && problems) throwIfProblems(problems);
      return out;
    },
  };
}

/** What follows a reference ends its path segment (or is another reference). */
function startsSegmentEnd(after: string): boolean {
  return (
    after === '' ||
    after.startsWith('/') ||
    after.startsWith('?') ||
    after.startsWith('#') ||
    after.startsWith('{{')
  );
}

/** A problem of one reference: no value, or why its value is refused. */
export type ReferenceProblem = { missing: true } | { reason: string };
const missingValue: ReferenceProblem = { missing: true };

/**
 * The text a reference renders to, or its problem. Shared with the body renderer of
 * compile-request.ts so the rules for values live in one place.
 */
export function substituteValue(
  values: TemplateValues,
  namespace: TemplateNamespace,
  name: string,
  options: RenderOptions,
  wholePathSegment: boolean,
): string | ReferenceProblem {
  const value =
    namespace === 'var'
      ? values.variable(name)
      : namespace === 'secret'
        ? values.secret(name)
        : values.param(name);
  if (value === undefined) return missingValue;
  if (options.headerValue && !isValidHeaderValue(value)) {
    return { reason: refusedReasons.headerValue };
  }
  if (namespace !== 'param' || !options.encodeParams) return value;
  if (wholePathSegment && (value === '.' || value === '..')) {
    return { reason: refusedReasons.dotSegment };
  }
  // encodeURIComponent throws URIError on a lone surrogate
  if (!value.isWellFormed()) return { reason: refusedReasons.malformedUnicode };
  return encodeURIComponent(value);
}

/** Adds one problem, once per reference (a reference used twice is named once). */
export function recordProblem(
  problems: TemplateProblems,
  key: string,
  problem: ReferenceProblem,
): void {
  if ('missing' in problem) {
    if (!problems.missing.includes(key)) problems.missing.push(key);
  } else if (!problems.refused.some((r) => r.reference === key && r.reason === problem.reason)) {
    problems.refused.push(
      problems.at === undefined
        ? { reference: key, reason: problem.reason }
        : { reference: key, reason: problem.reason, at: problems.at },
    );
  }
}

/** Throws a TemplateUnresolvedError naming every gathered problem; nothing when there is none. */
export function throwIfProblems(problems: TemplateProblems): void {
  if (problems.missing.length > 0 || problems.refused.length > 0) {
    throw new TemplateUnresolvedError(problems.missing, problems.refused);
  }
}
