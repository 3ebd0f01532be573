import { minSecretValueChars } from '../../contracts/secrets.ts';

/** What a masked value reads as, everywhere. */
export const maskedValue = '****';

/**
 * Masks secret values in what a target answers, in every form an echo can hand them back in:
 * as sent, JSON-escaped once or twice (an echo that quotes a JSON body inside its own JSON
 * answer), percent-encoded by any encoder (encodeURIComponent, form encoding with `+` for a
 * space, WHATWG URL serialization, RFC 3986, either hex case; also twice, or over a JSON
 * escape), and base64/base64url at any byte alignment (a secret inside a longer encoded
 * text, e.g. Basic credentials) of the value raw or JSON-escaped.
 *
 * Built once per prepared target (per set of resolved secret values): one regular expression
 * whose alternatives are the secrets, longest first, each character allowing its encoded
 * forms. Matching runs over bytes (a latin1 view: one char per byte, as undici decodes
 * header values), so a body is masked before it is decoded for display, and a binary body
 * shown as base64 is masked too.
 */
export interface SecretMasker {
  /**
   * How many bytes past the shown part of an answer must be read so a secret cut at the
   * edge is still recognised: the longest form a secret can take, less one.
   */
  readonly lookaheadBytes: number;
  /**
   * `bytes` with every secret masked, cut to what stands for its first `shownBytes` bytes: a
   * secret that starts before the cut is masked whole, never shown as its first characters.
   * Answers `bytes` itself (or a view of it) when nothing is masked.
   */
  maskBytes(bytes: Buffer, shownBytes?: number): Buffer;
  /** A byte string (one char per byte, e.g. a header value as undici decodes it), masked. */
  maskByteString(text: string): string;
  /** A JavaScript string (UTF-16, e.g. an error message), masked. */
  maskText(text: string): string;
}

/**
 * Secrets shorter than this are refused when saved and, read from an env or file source or
 * stored before, at call time: masking a 4-character value would mask ordinary words.
 */
export const minMaskedSecretChars = minSecretValueChars;

/** A masker for `values`, or null when none is long enough to mask (nothing to do per call). */
export function createSecretMasker(values: Iterable<string>): SecretMasker | null {
  const finder = buildFinder(
    [...values].map((value) => ({ name: '', value })),
    false,
  );
  return finder && createMasker(finder, () => maskedValue);
}

/** The one regular expression of a masker or marker (secret-marker.ts). */
export interface Finder {
  finder: RegExp;
  lookaheadBytes: number;
  minMatchBytes: number;
  /** the secret of each capture group (when built with groups) */
  names: string[];
}

export function buildFinder(
  entries: ReadonlyArray<{ name: string; value: string }>,
  grouped: boolean,
): Finder | null {
  const byValue = new Map<string, string>();
  for (const { name, value } of entries) {
    if (charCountOf(value) >= minMaskedSecretChars && !byValue.has(value)) byValue.set(value, name);
  }
  if (byValue.size === 0) return null;
  type Needle = { source: string; minBytes: number; maxBytes: number; order: number };
  const groups: Array<{ name: string; order: number; needles: Needle[] }> = [];
  for (const [value, name] of byValue) {
    const needles: Needle[] = [];
    const bytes = Buffer.from(value, 'utf8');
    const encoded = encodedFormsPattern(value);
    needles.push({
      source: encoded.pattern,
      minBytes: bytes.length,
      maxBytes: encoded.maxBytes,
      order: bytes.length,
    });
    // base64 of the value, and of the value as it stands in a JSON text
    const texts = new Set([value, JSON.stringify(value).slice(1, -1)]);
    const cores = new Set([...texts].flatMap((text) => base64Cores(Buffer.from(text, 'utf8'))));
    for (const literal of cores) {
      needles.push({
        source: literalPattern(literal),
        minBytes: literal.length,
        maxBytes: literal.length,
        order: bytes.length,
      });
    }
    groups.push({ name, order: bytes.length, needles });
  }
  const all = groups.flatMap((group) => group.needles);
  let source: string;
  if (grouped) {
    // longest secret first, each secret's forms in its own group (which one matched names it)
    groups.sort((a, b) => b.order - a.order);
    for (const group of groups) group.needles.sort((a, b) => b.maxBytes - a.maxBytes);
    source = groups
      .map((group) => `(${group.needles.map((needle) => needle.source).join('|')})`)
      .join('|');
  } else {
    // longest secret first: where a secret contains another, the longer one is masked whole
    all.sort((a, b) => b.order - a.order || b.maxBytes - a.maxBytes);
    source = all.map((needle) => needle.source).join('|');
  }
  return {
    finder: new RegExp(source, 'g'),
    lookaheadBytes: Math.max(...all.map((needle) => needle.maxBytes)) - 1,
    // no form of a value is shorter than the value's own bytes, nor a base64 core than 10
    minMatchBytes: Math.min(...all.map((needle) => needle.minBytes)),
    names: groups.map((group) => group.name),
  };
}

export function createMasker(
  { finder, lookaheadBytes, minMatchBytes }: Finder,
  replacementOf: (match: RegExpExecArray) => string,
): SecretMasker {
  /**
   * Masked spans of `text` as [start, end) pairs, merged (overlapping secrets are found too),
   * and the replacement of each (the first secret's, where spans merge).
   */
  function spansOf(text: string): { spans: number[]; replacements: string[] } | null {
    finder.lastIndex = 0;
    let match = finder.exec(text);
    if (match === null) return null;
    const spans: number[] = [];
    const replacements: string[] = [];
    while (match !== null) {
      const start = match.index;
      const end = start + match[0].length;
      const last = spans.length - 1;
      if (last >= 0 && start <= (spans[last] as number)) {
        spans[last] = Math.max(spans[last] as number, end);
      } else {
        spans.push(start, end);
        replacements.push(replacementOf(match));
      }
      // on from the next char, not the match's end: another secret may start inside this one
      finder.lastIndex = start + 1;
      match = finder.exec(text);
    }
    return { spans, replacements };
  }

  function maskByteString(text: string): string {
    // most answer headers are shorter than any secret: no regular expression for them
    if (text.length < minMatchBytes) return text;
    const found = spansOf(text);
    if (found === null) return text;
    const { spans, replacements } = found;
    let out = '';
    let from = 0;
    for (let i = 0; i < spans.length; i += 2) {
      out += text.slice(from, spans[i]) + (replacements[i / 2] as string);
      from = spans[i + 1] as number;
    }
    return out + text.slice(from);
  }

  function maskBytes(bytes: Buffer, shownBytes: number = bytes.length): Buffer {
    const found = bytes.length < minMatchBytes ? null : spansOf(bytes.toString('latin1'));
    if (found === null) return bytes.length <= shownBytes ? bytes : bytes.subarray(0, shownBytes);
    const { spans, replacements } = found;
    const parts: Buffer[] = [];
    let from = 0;
    for (let i = 0; i < spans.length; i += 2) {
      const start = spans[i] as number;
      if (start >= shownBytes) break;
      parts.push(bytes.subarray(from, start), Buffer.from(replacements[i / 2] as string, 'utf8'));
      from = spans[i + 1] as number;
    }
    if (from < shownBytes) parts.push(bytes.subarray(from, shownBytes));
    return Buffer.concat(parts);
  }

  return {
    lookaheadBytes,
    maskBytes,
    maskByteString,
    maskText(text) {
      if (!/[^\u0000-\u007f]/.test(text)) return maskByteString(text);
      return maskBytes(Buffer.from(text, 'utf8')).toString('utf8');
    },
  };
}

/** Characters as a reader counts them (code points, not UTF-16 units). */
export function charCountOf(value: string): number {
  let count = value.length;
  // a surrogate pair is one character
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count -= 1;
        i += 1;
      }
    }
  }
  return count;
}

/** One way of writing a character: its pattern and the most bytes it can take. */
interface CharForm {
  pattern: string;
  maxBytes: number;
}

/**
 * The pattern of one secret: one branch per family of encodings. Within a family every character
 * has its forms, no one of which is a prefix of another (only `%` keeps its raw form beside
 * `%25`): at a position at most one form matches, so the expression never backtracks through
 * combinations — a target that knows a secret cannot answer with text that makes masking
 * take exponential time (as `\` written raw, escaped once and escaped twice would, mixed).
 *
 * - raw: the UTF-8 bytes;
 * - JSON: JSON.stringify's escapes, `\/` (PHP), `\uXXXX` for any character (Python, Go);
 * - JSON twice: the same escaped again (an echo quoting a JSON body in its JSON answer);
 * - percent: each byte as is, `%XX` or `%25XX` (encodeURIComponent, RFC 3986, WHATWG URLs, a
 *   URL encoded again; a space also as `+`);
 * - JSON, then percent: a JSON text put in a query (`%5C%22`).
 *
 * Letters and digits are the same in every family; hex digits match in either case.
 */
function encodedFormsPattern(value: string): CharForm {
  const families: CharForm[][] = [[], [], [], [], []];
  for (const char of value) {
    if (/^[A-Za-z0-9]$/.test(char)) {
      for (const family of families) family.push({ pattern: char, maxBytes: 1 });
      continue;
    }
    const raw = Buffer.from(char, 'utf8').toString('latin1');
    const json = jsonEscapesOf(char);
    const unicode = unicodeEscapePattern(char);
    const [rawForms, jsonForms, twiceForms, percentForms, jsonPercentForms] = families as [
      CharForm[],
      CharForm[],
      CharForm[],
      CharForm[],
      CharForm[],
    ];
    rawForms.push(literalForm(raw));
    jsonForms.push(
      oneOf([...json.map(literalForm), { pattern: unicode.once, maxBytes: 6 * char.length }]),
    );
    twiceForms.push(
      oneOf([
        ...json.map((form) => literalForm(escapeAgain(form))),
        { pattern: unicode.twice, maxBytes: 7 * char.length },
      ]),
    );
    // as is, once or twice encoded, per byte: a URL's query encoded again mixes them
    percentForms.push(
      oneOf([percentEachByte(raw), ...(char === ' ' ? [percentEachByte('+')] : [])]),
    );
    jsonPercentForms.push(oneOf(json.map((form) => percentEachByte(form))));
  }
  // the leading letters and digits are the same in every family: written once, so the
  // expression checks them once per position rather than once per family
  const leading = /^[A-Za-z0-9]*/.exec(value)?.[0] ?? '';
  const rests = new Set<string>();
  let maxBytes = 0;
  for (const family of families) {
    rests.add(
      family
        .slice(leading.length)
        .map((form) => form.pattern)
        .join(''),
    );
    maxBytes = Math.max(
      maxBytes,
      family.reduce((sum, form) => sum + form.maxBytes, 0),
    );
  }
  const pattern =
    rests.size === 1 ? `${leading}${[...rests][0]}` : `${leading}(?:${[...rests].join('|')})`;
  return { pattern, maxBytes };
}

function literalForm(text: string): CharForm {
  return { pattern: literalPattern(text), maxBytes: text.length };
}

function oneOf(forms: CharForm[]): CharForm {
  const unique = [...new Map(forms.map((form) => [form.pattern, form])).values()];
  if (unique.length === 1) return unique[0] as CharForm;
  return {
    pattern: `(?:${unique.map((form) => form.pattern).join('|')})`,
    maxBytes: Math.max(...unique.map((form) => form.maxBytes)),
  };
}

/** Each byte of a byte string as is, percent-encoded (`%22`) or percent-encoded twice (`%2522`). */
function percentEachByte(text: string): CharForm {
  let pattern = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    const hex = hexPattern(text.charCodeAt(i).toString(16).padStart(2, '0'));
    pattern += /^[A-Za-z0-9]$/.test(char) ? char : `(?:${literalPattern(char)}|%${hex}|%25${hex})`;
  }
  return { pattern, maxBytes: text.length * 5 };
}

/** `\uXXXX` per UTF-16 unit, hex in either case: once (`\u0022`) and escaped again (`\\u0022`). */
function unicodeEscapePattern(char: string): { once: string; twice: string } {
  const units: string[] = [];
  for (let i = 0; i < char.length; i++) {
    units.push(`u${hexPattern(char.charCodeAt(i).toString(16).padStart(4, '0'))}`);
  }
  return {
    once: units.map((unit) => `\\x5c${unit}`).join(''),
    twice: units.map((unit) => `\\x5c\\x5c${unit}`).join(''),
  };
}

const shortJsonEscapes: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/**
 * How JSON serializers write one character besides `\uXXXX`: JSON.stringify's form, and the
 * short escapes others use where JSON.stringify does not (`\/` in PHP). As a byte string.
 */
function jsonEscapesOf(char: string): string[] {
  const forms = new Set([JSON.stringify(char).slice(1, -1)]);
  const short = shortJsonEscapes[char];
  if (short) forms.add(short);
  return [...forms].map((form) => Buffer.from(form, 'utf8').toString('latin1'));
}

/** A JSON-escaped text escaped again, as when an echo quotes a JSON body in its JSON answer. */
function escapeAgain(form: string): string {
  return form.replace(/[\\"]/g, (c) => `\\${c}`);
}

/**
 * The base64 and base64url text that a secret's bytes always encode to, at each of the three
 * byte alignments it can have inside a longer encoded text: only the characters whose six
 * bits all come from the secret (so at least 10 for 8 bytes).
 */
function base64Cores(bytes: Buffer): string[] {
  const cores = new Set<string>();
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const firstBit = offset * 8;
    const endBit = firstBit + bytes.length * 8;
    const first = Math.ceil(firstBit / 6);
    const end = Math.floor(endBit / 6);
    for (const alphabet of ['base64', 'base64url'] as const) {
      cores.add(padded.toString(alphabet).slice(first, end));
    }
  }
  return [...cores];
}

/** A byte string as a pattern matching exactly it: letters and digits as such, the rest `\xHH`. */
function literalPattern(text: string): string {
  let out = '';
  for (const char of text) {
    out += /^[A-Za-z0-9]$/.test(char)
      ? char
      : `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** `2b` → `2[Bb]`: hex digits of either case. */
function hexPattern(hex: string): string {
  return hex.replace(/[a-f]/g, (c) => `[${c.toUpperCase()}${c}]`);
}
