import type { EngineOptions, CallInput } from './engine-types.ts';
import type { PreparedTarget } from './prepare-target.ts';

/**
 * Configured headers, the call's own, Content-Type and User-Agent when neither set them,
 * and the trace headers — flat (name, value, name, value…), as undici takes them. Without
 * call headers (the common case) no map is built: the configured names are known from the
 * prepared target.
 */
export function composeHeaders(
  options: Pick<EngineOptions, 'userAgent' | 'traceIdHeader'>,
  ready: PreparedTarget,
  configured: ReadonlyArray<readonly [string, string]>,
  input: CallInput,
  body: Buffer | undefined,
  trace: { traceparent: string; traceId: string },
): string[] {
  const headers: string[] = [];
  let names: { has(name: string): boolean };
  if (input.headers === undefined) {
    for (const [name, value] of configured) headers.push(name, value);
    names = ready.headerNames;
  } else {
    const byName = new Map<string, readonly [string, string]>();
    for (const pair of configured) byName.set(pair[0].toLowerCase(), pair);
    for (const name in input.headers) {
      byName.set(name.toLowerCase(), [name, input.headers[name] as string]);
    }
    for (const [name, value] of byName.values()) headers.push(name, value);
    names = byName;
  }
  if (body !== undefined && !names.has('content-type')) {
    headers.push('Content-Type', contentTypeOf(input.body));
  }
  if (!names.has('user-agent')) headers.push('User-Agent', options.userAgent);
  // ours win over configured or call headers of the same names
  const traceIdName = options.traceIdHeader?.toLowerCase();
  if (names.has('traceparent') || (traceIdName !== undefined && names.has(traceIdName))) {
    for (let i = headers.length - 2; i >= 0; i -= 2) {
      const lower = (headers[i] as string).toLowerCase();
      if (lower === 'traceparent' || lower === traceIdName) headers.splice(i, 2);
    }
  }
  headers.push('traceparent', trace.traceparent);
  if (options.traceIdHeader) headers.push(options.traceIdHeader, trace.traceId);
  return headers;
}

/** When the connection sets no Content-Type: JSON for JSON values and JSON text, else text. */
function contentTypeOf(body: unknown): string {
  if (typeof body !== 'string') return 'application/json';
  try {
    JSON.parse(body);
    return 'application/json';
  } catch {
    return 'text/plain; charset=utf-8';
  }
}
