import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.ts';
import { isRawJsonNumber, keepExactNumber, scanNumber } from '../../core/exact-json.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The request carries calls whose `body` (top level, or in each of `items`) is forwarded
     * to a target: numbers in it are kept exactly as written (core/exact-json.ts).
     */
    exactCallBodies?: boolean;
  }
}

export const maxJsonDepth = 64;
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Our JSON body parser: refuses bodies nested deeper than 64 levels (a cheap scan before
 * parsing, so no deep recursion ever runs) and any `__proto__`/`constructor`/`prototype` key
 * (prototype pollution), each with INVALID_JSON; keeps the 1 MiB body limit of the app.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  // Fastify also parses text/plain by default; only JSON is accepted (else 415)
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(
    /^application\/([\w.+-]+\+)?json(\s*;.*)?$/i,
    { parseAs: 'string' },
    (request, body, done) => {
      try {
        const exact = request.routeOptions.config.exactCallBodies === true;
        done(null, parseJsonBody(body as string, { exactCallBodies: exact }));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
}

/**
 * Parses a request body. `exactCallBodies`: the numbers of each call's `body` (at the top
 * level, and in each of `items`) are kept exactly as written; numbers elsewhere are plain
 * numbers, except that a call's `params` keep theirs as text (`{{param.id}}` with
 * 12345678901234567890 renders those digits).
 */
export function parseJsonBody(text: string, options: { exactCallBodies?: boolean } = {}): unknown {
  if (text.trim() === '') return undefined;
  const numbers = options.exactCallBodies === true ? { inexact: false } : undefined;
  const depth = measureDepth(text, numbers);
  if (depth > maxJsonDepth) {
    throw new AppError('INVALID_JSON', `JSON is nested more than ${maxJsonDepth} levels deep`);
  }
  const exact = numbers?.inexact === true;
  let value: unknown;
  try {
    // A forbidden key can only be there if its name is written out, or hidden behind a
    // \u escape: without either, the plain (reviver-less, several times faster) parse is safe.
    const guard = mayHoldForbiddenKey(text);
    if (!guard && !exact) return JSON.parse(text) as unknown;
    value = JSON.parse(text, (key, item: unknown, context?: { source?: string }) => {
      if (guard && forbiddenKeys.has(key)) {
        throw new AppError('INVALID_JSON', `the key '${key}' is not allowed in a request body`);
      }
      return exact ? keepExactNumber(key, item, context) : item;
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    // V8's message quotes the text around the mistake, which may be a credential the user
    // was sending: answer where it is (line and column), never what is there
    throw new AppError('INVALID_JSON', `the body is not valid JSON${locate(text, error)}`);
  }
  return exact ? keepExactOnlyInCallBodies(value) : value;
}

/**
 * After an exact parse of a call request: numbers outside the calls' bodies become plain
 * numbers again (what validation expects), and a call's params keep their text.
 */
function keepExactOnlyInCallBodies(request: unknown): unknown {
  if (!isPlainObject(request)) return toPlainNumbers(request);
  for (const key of Object.keys(request)) {
    if (key === 'body') continue;
    const item = request[key];
    if (key === 'params' && isPlainObject(item)) {
      for (const name of Object.keys(item)) {
        const param = item[name];
        item[name] = isRawJsonNumber(param) ? param.rawJSON : toPlainNumbers(param);
      }
    } else if (key === 'items' && Array.isArray(item)) {
      for (let i = 0; i < item.length; i++) item[i] = keepExactOnlyInCallBodies(item[i]);
    } else {
      request[key] = toPlainNumbers(item);
    }
  }
  return request;
}

function toPlainNumbers(value: unknown): unknown {
  if (isRawJsonNumber(value)) return Number(value.rawJSON);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = toPlainNumbers(value[i]);
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) value[key] = toPlainNumbers(value[key]);
  }
  return value;
}

/** An object parsed from JSON (not an array, not a number kept as written). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !isRawJsonNumber(value)
  );
}

function mayHoldForbiddenKey(text: string): boolean {
  return (
    text.includes('\\u') ||
    text.includes('__proto__') ||
    text.includes('constructor') ||
    text.includes('prototype')
  );
}

/** ` at line L, column C` from V8's `… at position N` (or the end of the text), else ''. */
function locate(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const position = /at position (\d+)/.exec(message)?.[1];
  const index =
    position !== undefined
      ? Number(position)
      : /end of JSON input/.test(message)
        ? text.length
        : -1;
  if (index < 0) return ' (check quotes, commas and brackets)';
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  const column = index - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column} (check quotes, commas and brackets)`;
}

/**
 * The deepest nesting of [ and { outside strings; stops counting once past the limit. With
 * `numbers`, also notes whether a number outside strings would change its text in a plain
 * parse and stringify (core/exact-json.ts), in the same pass.
 */
function measureDepth(text: string, numbers?: { inexact: boolean }): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > maxJsonDepth) return deepest;
    } else if (c === 125 || c === 93) depth--;
    else if (numbers !== undefined && (c === 45 || (c >= 48 && c <= 57))) {
      const end = scanNumber(text, i);
      if (end < 0) numbers.inexact = true;
      i = Math.abs(end) - 1;
    }
  }
  return deepest;
}
