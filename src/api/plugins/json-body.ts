import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.ts';

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
    (_request, body, done) => {
      try {
        done(null, parseJsonBody(body as string));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
}

export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  const depth = measureDepth(text);
  if (depth > maxJsonDepth) {
    throw new AppError('INVALID_JSON', `JSON is nested more than ${maxJsonDepth} levels deep`);
  }
  let value: unknown;
  try {
    // A forbidden key can only be there if its name is written out, or hidden behind a
    // \u escape: without either, the plain (reviver-less, several times faster) parse is safe.
    if (!mayHoldForbiddenKey(text)) return JSON.parse(text) as unknown;
    value = JSON.parse(text, (key, item: unknown) => {
      if (forbiddenKeys.has(key)) {
        throw new AppError('INVALID_JSON', `the key '${key}' is not allowed in a request body`);
      }
      return item;
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    // V8's message quotes the text around the mistake, which may be a credential the user
    // was sending: answer where it is (line and column), never what is there
    throw new AppError('INVALID_JSON', `the body is not valid JSON${locate(text, error)}`);
  }
  return value;
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

/** The deepest nesting of [ and { outside strings; stops counting once past the limit. */
function measureDepth(text: string): number {
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
  }
  return deepest;
}
