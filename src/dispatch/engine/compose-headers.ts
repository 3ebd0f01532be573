import type { EngineOptions, CallInput } from './engine-types.ts';
import type { PreparedTarget } from './prepare-target.ts';

/**
 * Configured headers, the call's own, Content-Type and User-Agent when neither set them,
 * and the trace headers. Without call headers (the common case) no map is built: the
 * configured names are known from the prepared target.
 */
export function composeHeaders(
  options: Pick<EngineOptions, 'userAgent' | 'traceIdHeader'>,
  ready: PreparedTarget,
  configured: Array<[string, string]>,
  input: CallInput,
  body: Buffer | undefined,
  trace: { traceparent: string; traceId: string },
): Array<[string, string]> {
  const callHeaders = input.headers ? Object.entries(input.headers) : [];
  let headers: Array<[string, string]>;
  let names: ReadonlySet<string>;
  if (callHeaders.length === 0) {
    headers = [...configured];
    names = ready.headerNames;
  } else {
    const byName = new Map<string, [string, string]>();
    for (const pair of configured) byName.set(pair[0].toLowerCase(), pair);
    for (const [name, value] of callHeaders) byName.set(name.toLowerCase(), [name, value]);
    headers = [...byName.values()];
    names = new Set(byName.keys());
  }
  if (body !== undefined && !names.has('content-type')) {
    headers.push(['Content-Type', contentTypeOf(input.body)]);
  }
  if (!names.has('user-agent')) headers.push(['User-Agent', options.userAgent]);
  // ours win over configured or call headers of the same names
  const traceIdName = options.traceIdHeader?.toLowerCase();
  if (names.has('traceparent') || (traceIdName !== undefined && names.has(traceIdName))) {
    headers = headers.filter(([name]) => {
      const lower = name.toLowerCase();
      return lower !== 'traceparent' && lower !== traceIdName;
    });
  }
  headers.push(['traceparent', trace.traceparent]);
  if (options.traceIdHeader) headers.push([options.traceIdHeader, trace.traceId]);
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
