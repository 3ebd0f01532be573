// Copy as curl (issue 14 §4): a request as Hookline sent it, or as a deployed revision would
// send it, turned into a shell command. Secrets stand in the request as markers naming them
// (`{{secret.NAME}}`, what the dispatch engine's secret marker writes where a value was) and
// params as `{{param.NAME}}`; the command reads them from the environment
// (`$HOOKLINE_SECRET_NAME`, `$HOOKLINE_PARAM_NAME`), so a value is never in the command.
// No zod here: the console imports this module into its pages, the CLI may too.

/** A request to turn into a command; headers as a record or as ordered pairs. */
export interface CurlRequest {
  method: string;
  url: string;
  headers: Readonly<Record<string, string>> | ReadonlyArray<readonly [string, string]>;
  /** absent, null or '': no body */
  body?: string | null;
  /** how `body` is written: base64 for bytes that are not text (default utf8) */
  bodyEncoding?: 'utf8' | 'base64';
}

/** What stands in a stored request where a secret's value was: the reference itself. */
export function secretMarker(name: string): string {
  return `{{secret.${name}}}`;
}

// the names templates allow (compile-template.ts), with the spaces a reference may carry
const markerPattern = /\{\{\s*(secret|param)\.([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

/** `HOOKLINE_SECRET_NAME`: the name upper-cased, anything but [A-Z0-9_] as `_`. */
export function secretPlaceholder(name: string): string {
  return `HOOKLINE_SECRET_${placeholderPart(name)}`;
}

/** `HOOKLINE_PARAM_NAME`, as secretPlaceholder. */
export function paramPlaceholder(name: string): string {
  return `HOOKLINE_PARAM_${placeholderPart(name)}`;
}

function placeholderPart(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/** The environment variables a request's command reads, each once, in order of use. */
export function placeholdersOf(request: CurlRequest): string[] {
  const names = new Set<string>();
  const texts = [request.url, ...headerPairs(request.headers).flat()];
  if (request.body && request.bodyEncoding !== 'base64') texts.push(request.body);
  for (const text of texts) {
    for (const part of splitMarkers(text)) if (part.variable) names.add(part.variable);
  }
  return [...names];
}

/**
 * The command, one option per line. A word holding a placeholder is double-quoted (so the
 * shell substitutes it), every other word single-quoted (so nothing in it is interpreted). A
 * base64 body is decoded by `base64 -d` and piped in, byte for byte.
 */
export function buildCurlCommand(request: CurlRequest): string {
  const method = request.method.toUpperCase();
  const lines: string[] = [];
  const url = shellWord(request.url);
  // curl globs [] and {} in URLs unless told not to
  const globoff = /[[\]{}]/.test(request.url.replace(markerPattern, '')) ? ' --globoff' : '';
  // -X HEAD would wait for a body that never comes; --head sends HEAD and reads none
  lines.push(`curl${method === 'HEAD' ? ' --head' : ` -X ${method}`}${globoff} ${url}`);
  for (const [name, value] of headerPairs(request.headers)) {
    lines.push(`  -H ${shellWord(`${name}: ${value}`)}`);
  }
  const body = request.body ?? '';
  let prefix = '';
  if (body !== '') {
    if (request.bodyEncoding === 'base64') {
      prefix = `printf '%s' ${singleQuoted(body)} | base64 -d | `;
      lines.push('  --data-binary @-');
    } else {
      lines.push(`  --data-binary ${shellWord(body)}`);
    }
  }
  return prefix + lines.join(' \\\n');
}

function headerPairs(headers: CurlRequest['headers']): Array<readonly [string, string]> {
  return Array.isArray(headers)
    ? [...(headers as ReadonlyArray<readonly [string, string]>)]
    : Object.entries(headers as Record<string, string>);
}

interface TextPart {
  text: string;
  /** the environment variable standing here; absent: literal text */
  variable?: string;
}

function splitMarkers(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let from = 0;
  for (const match of text.matchAll(markerPattern)) {
    if (match.index > from) parts.push({ text: text.slice(from, match.index) });
    const [, namespace, name] = match as unknown as [string, string, string];
    parts.push({
      text: match[0],
      variable: namespace === 'secret' ? secretPlaceholder(name) : paramPlaceholder(name),
    });
    from = match.index + match[0].length;
  }
  if (from < text.length) parts.push({ text: text.slice(from) });
  return parts;
}

/** One shell word: single-quoted, or double-quoted around its placeholders. */
export function shellWord(text: string): string {
  const parts = splitMarkers(text);
  if (!parts.some((part) => part.variable)) return singleQuoted(text);
  let out = '"';
  parts.forEach((part, index) => {
    if (part.variable) {
      // braces when a name character follows, or it would join the variable's name
      const next = parts[index + 1]?.text ?? '';
      out += /^[A-Za-z0-9_]/.test(next) ? `\${${part.variable}}` : `$${part.variable}`;
    } else {
      // `!` is history expansion inside double quotes in an interactive bash: quoted apart
      out += part.text.replace(/[\\"$`]/g, (c) => `\\${c}`).replace(/!/g, `"'!'"`);
    }
  });
  return `${out}"`;
}

function singleQuoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
