import { minSecretValueChars } from '../../contracts/secrets.ts';

/** What a masked value reads as, everywhere. */
export const maskedValue = '****';

/**
 * Masks secret values in what a target answers, in every form an echo can hand them back in:
 * as sent, JSON-escaped once or twice (an echo that quotes a JSON body inside its own JSON
 * answer), percent-encoded by any encoder (encodeURIComponent, form encoding with `+` for a
 * space, WHATWG URL serialization, RFC 3986, either hex case; also twice, or over a JSON
 * escape), and base64/base64url at any byte alignment (a secret inside a longer encoded
 * text, e.g. Basic credentials) of the value raw, JSON-escaped or percent-encoded.
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
  const unique = [...new Set(values)].filter((value) => charCountOf(value) >= minMaskedSecretChars);
  if (unique.length === 0) return null;
  const needles: Array<{ source: string; minBytes: number; maxBytes: number; order: number }> = [];
  for (const value of unique) {
    const bytes = Buffer.from(value, 'utf8');
    const encoded = encodedFormsPattern(value);
    needles.push({ ...encoded, minBytes: bytes.length, order: bytes.length });
    // base64 of the value, and of the value as it stands in a JSON text or a query
    const texts = new Set([
      value,
      JSON.stringify(value).slice(1, -1),
      encodeURIComponent(value),
      new URLSearchParams({ v: value }).toString().slice(2),
    ]);
    const cores = new Set([...texts].flatMap((text) => base64Cores(Buffer.from(text, 'utf8'))));
    for (const literal of cores) {
      needles.push({
        source: literalPattern(literal),
        minBytes: literal.length,
        maxBytes: literal.length,
        order: bytes.length,
      });
    }
  }
  // longest secret first: where a secret contains another, the longer one is masked whole
  needles.sort((a, b) => b.order - a.order || b.maxBytes - a.maxBytes);
  const finder = new RegExp(needles.map((needle) => needle.source).join('|'), 'g');
  const lookaheadBytes = Math.max(...needles.map((needle) => needle.maxBytes)) - 1;
  // no form of a value is shorter than the value's own bytes, nor a base64 core than 10
  const minMatchBytes = Math.min(...needles.map((needle) => needle.minBytes));
  return createMasker(finder, lookaheadBytes, minMatchBytes);
}

function createMasker(finder: RegExp, lookaheadBytes: number, minMatchBytes: number): SecretMasker {
  /** Masked spans of `text` as [start, end) pairs, merged: overlapping secrets are found too. */
  function spansOf(text: string): number[] | null {
    finder.lastIndex = 0;
    let match = finder.exec(text);
    if (match === null) return null;
    const spans: number[] = [];
    while (match !== null) {
      const start = match.index;
      const end = start + match[0].length;
      const last = spans.length - 1;
      if (last >= 0 && start <= (spans[last] as number)) {
        spans[last] = Math.max(spans[last] as number, end);
      } else {
        spans.push(start, end);
      }
      // on from the next char, not the match's end: another secret may start inside this one
      finder.lastIndex = start + 1;
      match = finder.exec(text);
    }
    return spans;
  }

  function maskByteString(text: string): string {
    // most answer headers are shorter than any secret: no regular expression for them
    if (text.length < minMatchBytes) return text;
    const spans = spansOf(text);
    if (spans === null) return text;
    let out = '';
    let from = 0;
    for (let i = 0; i < spans.length; i += 2) {
      out += text.slice(from, spans[i]) + maskedValue;
      from = spans[i + 1] as number;
    }
    return out + text.slice(from);
  }

  const maskedBytes = Buffer.from(maskedValue);

  function maskBytes(bytes: Buffer, shownBytes: number = bytes.length): Buffer {
    const spans = bytes.length < minMatchBytes ? null : spansOf(bytes.toString('latin1'));
    if (spans === null) return bytes.length <= shownBytes ? bytes : bytes.subarray(0, shownBytes);
    const parts: Buffer[] = [];
    let from = 0;
    for (let i = 0; i < spans.length; i += 2) {
      const start = spans[i] as number;
      if (start >= shownBytes) break;
      parts.push(bytes.subarray(from, start), maskedBytes);
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

/**
 * The pattern of one secret: per character, its UTF-8 bytes or any of its encoded forms.
 * Letters and digits stand for themselves (no encoder changes them); any other character may
 * also appear percent-encoded (either hex case; a space also as `+`), JSON-escaped (`\"`,
 * `\\`, `\/`, `\n`…, `\uXXXX`), JSON-escaped twice (`\\\"`, `\\u00e9`), a JSON escape
 * percent-encoded (`%5C%22`: a JSON text in a query), or percent-encoded twice (`%2522`).
 */
function encodedFormsPattern(value: string): { source: string; maxBytes: number } {
  let source = '';
  let maxBytes = 0;
  for (const char of value) {
    if (/^[A-Za-z0-9]$/.test(char)) {
      source += char;
      maxBytes += 1;
      continue;
    }
    const utf8 = Buffer.from(char, 'utf8');
    const forms = new Set<string>([utf8.toString('latin1')]);
    for (const form of jsonEscapesOf(char)) {
      forms.add(form);
      forms.add(escapeAgain(form));
    }
    const alternatives = [...forms].map(literalPattern);
    // form encoding writes a space as +
    if (char === ' ') alternatives.push('\\x2b');
    let longest = Math.max(...[...forms].map((form) => form.length));
    // \uXXXX (once or twice escaped) and percent-encoded bytes, hex in either case
    let unicode = '';
    for (let i = 0; i < char.length; i++) {
      unicode += `\\x5cu${hexPattern(char.charCodeAt(i).toString(16).padStart(4, '0'))}`;
    }
    alternatives.push(unicode, unicode.replaceAll('\\x5cu', '\\x5c\\x5cu'));
    longest = Math.max(longest, char.length * 7);
    // percent-encoded: the bytes, their JSON escapes (a JSON text put in a URL), and the
    // bytes encoded twice (a URL put in a URL)
    for (const form of forms) {
      alternatives.push(percentPattern(form, '%'));
      longest = Math.max(longest, form.length * 3);
    }
    alternatives.push(percentPattern(utf8.toString('latin1'), '%25'));
    longest = Math.max(longest, utf8.length * 5);
    source += `(?:${alternatives.join('|')})`;
    maxBytes += longest;
  }
  return { source, maxBytes };
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

/** A byte string percent-encoded byte by byte (`"` → `%22`, after `prefix`), either hex case. */
function percentPattern(text: string, prefix: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    out += `${prefix}${hexPattern(text.charCodeAt(i).toString(16).padStart(2, '0'))}`;
  }
  return out;
}

/** `2b` → `2[Bb]`: hex digits of either case. */
function hexPattern(hex: string): string {
  return hex.replace(/[a-f]/g, (c) => `[${c.toUpperCase()}${c}]`);
}
