/**
 * JSON whose numbers stay exactly as written: `12345678901234567890`, `1.10`, `1e400`,
 * `2.50E+3` and `-0` come back out of JSON.stringify with the same characters, where a plain
 * parse would write `12345678901234567000`, `1.1`, `null`, `2500` and `0`.
 *
 * Built on two features of Node 24's V8 rather than on lossless-json (DESIGN §5 names it for
 * this): JSON.parse's source text access (a reviver sees each number's text) and
 * JSON.rawJSON (a value JSON.stringify writes verbatim). The parse stays native, the value
 * stays plain JSON for every consumer (validation, templates, storage), and only numbers
 * that would change are wrapped. lossless-json parses in JavaScript and wraps every number:
 * a 700-byte call took 19 µs with it against 4 µs with JSON.parse. Whitespace is not kept,
 * and object keys come back in JavaScript's order (integer-like keys first, a repeated key
 * once): a caller who needs those bytes too sends the body as a string.
 */

/** A number kept as its text: JSON.stringify writes `rawJSON` as is. */
export interface RawJsonNumber {
  readonly rawJSON: string;
}

interface NativeRawJson {
  rawJSON(text: string): RawJsonNumber;
  isRawJSON(value: unknown): value is RawJsonNumber;
}
const nativeJson = JSON as unknown as NativeRawJson;

/** Whether `value` is a number kept as written (JSON.rawJSON). */
export function isRawJsonNumber(value: unknown): value is RawJsonNumber {
  return nativeJson.isRawJSON(value);
}

/**
 * Does `text` (JSON) hold a number, outside its strings, whose text a plain parse and
 * stringify would change? One pass over the text, so the slower exact parse (a reviver call
 * per value, ~6× a plain parse) runs only when it matters — not for timestamps like
 * "2026-12-07T10:00:00.000Z" or names like "sku-0" in strings. (The API's body parser does
 * the same inside the pass that measures nesting: api/plugins/json-body.ts.)
 */
export function hasInexactNumber(text: string): boolean {
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i++;
        else if (d === 34) break;
      }
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const end = scanNumber(text, i);
      if (end < 0) return true;
      i = end - 1;
    }
  }
  return false;
}

/**
 * Reads the number token that starts at `start` (a '-' or a digit outside a string): answers
 * the index after it, negated when a plain parse and stringify would change its text. Only
 * a token with '.', an exponent, 16 or more characters, or `-0` is parsed to find out.
 */
export function scanNumber(text: string, start: number): number {
  const length = text.length;
  let end = start + 1;
  let plain = true; // only digits after an optional '-'
  while (end < length) {
    const d = text.charCodeAt(end);
    if (d >= 48 && d <= 57) end++;
    else if (d === 46 || d === 101 || d === 69 || d === 43 || d === 45) {
      plain = false;
      end++;
    } else break;
  }
  if (plain && end - start <= 15 && !(end - start === 2 && text.charCodeAt(start) === 45)) {
    return end;
  }
  const token = text.slice(start, end);
  return String(Number(token)) === token ? end : -end;
}

/**
 * A reviver for JSON.parse that keeps each number whose text would change as a raw JSON
 * value, and leaves every other value alone.
 */
export function keepExactNumber(
  _key: string,
  value: unknown,
  context?: { source?: string },
): unknown {
  if (typeof value !== 'number') return value;
  const source = context?.source;
  return source !== undefined && String(value) !== source ? nativeJson.rawJSON(source) : value;
}

/**
 * JSON.parse, keeping numbers exactly as written (see above); throws what JSON.parse throws.
 * For text Hookline wrote itself (a stored delivery body): request bodies go through the API's
 * JSON body parser, which adds its protections.
 */
export function parseExactJson(text: string): unknown {
  return hasInexactNumber(text)
    ? (JSON.parse(text, keepExactNumber as Parameters<typeof JSON.parse>[1]) as unknown)
    : (JSON.parse(text) as unknown);
}
