import { randomFillPooled } from '../core/random.ts';

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/) `traceparent` for outbound calls:
 * `00-<trace-id 32 hex>-<parent-id 16 hex>-<flags 2 hex>`.
 */

export interface TraceContext {
  /** the header value to send */
  traceparent: string;
  /** the 32-hex trace id: shown in results and logs, and sent as X-Trace-Id when configured */
  traceId: string;
}

export interface ParsedTraceparent {
  version: string;
  traceId: string;
  parentId: string;
  flags: string;
}

// Lower-case hex only (§3.2.2: upper case is invalid). Version ff is forbidden.
const fieldsPattern = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const zeroTraceId = '0'.repeat(32);
const zeroParentId = '0'.repeat(16);
/** version 00 is exactly 55 characters; a later version may append `-…` fields (§3.2.4) */
const version00Length = 55;
/** a new trace is marked sampled: Hookline records every call with its trace id */
const newTraceFlags = '01';

/**
 * Reads a traceparent header, or null when it is not valid: wrong shape, version ff, a
 * version 00 with anything after the flags, or an all-zero trace or parent id. A later
 * version is read by its first four fields, as §3.2.4 asks of a version 00 parser.
 */
export function parseTraceparent(value: string): ParsedTraceparent | null {
  const text = value.trim();
  if (text.length < version00Length) return null;
  const head = text.slice(0, version00Length);
  const match = fieldsPattern.exec(head);
  if (!match) return null;
  const [, version, traceId, parentId, flags] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (version === 'ff') return null;
  if (text.length > version00Length && (version === '00' || text[version00Length] !== '-')) {
    return null;
  }
  if (traceId === zeroTraceId || parentId === zeroParentId) return null;
  return { version, traceId, parentId, flags };
}

/**
 * The traceparent of one outbound call. A valid `incoming` is continued: same trace id and
 * flags, our own new parent id (this call is a new span of that trace), always written as
 * version 00. Otherwise (absent or invalid, which §4.3 says to ignore) a new trace starts.
 */
export function createTraceparent(incoming?: string): TraceContext {
  const parent = incoming === undefined ? null : parseTraceparent(incoming);
  if (parent) {
    const parentId = randomNonZeroHex(8);
    return {
      traceparent: `00-${parent.traceId}-${parentId}-${parent.flags}`,
      traceId: parent.traceId,
    };
  }
  // one draw and one hex string for both ids; the slices share it
  const ids = randomNonZeroHex(24);
  const traceId = ids.slice(0, 32);
  return { traceparent: `00-${traceId}-${ids.slice(32)}-${newTraceFlags}`, traceId };
}

/**
 * Random hex of `bytes` bytes (at most 24). With 24, the trace id (the first 16) and the
 * parent id (the last 8) are each never all zeros (invalid ids; odds 2^-64 or less).
 */
function randomNonZeroHex(bytes: number): string {
  for (;;) {
    randomFillPooled(hexScratch, bytes);
    if (!allZero(0, Math.min(bytes, 16)) && (bytes <= 16 || !allZero(16, bytes))) {
      return hexScratch.toString('hex', 0, bytes);
    }
  }
}

function allZero(from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (hexScratch[i] !== 0) return false;
  return true;
}

const hexScratch = Buffer.alloc(24);
