import { refusedReasons } from './compile-template.ts';
import type { RefusedReference } from './template-unresolved-error.ts';

/**
 * A request whose rendered form HTTP does not allow, refused before a byte is sent (outcome
 * INVALID_REQUEST): a header value holding a character RFC 9110 refuses (a control character,
 * DEL, anything above U+00FF), a URL path that values turned into a '.' or '..' segment, or
 * a URL value that is not well-formed Unicode. The message and the hint name the header or
 * the path and the references that filled it, never a value.
 */
export class InvalidRequestError extends Error {
  readonly code = 'INVALID_REQUEST';
  /** what was refused: the reference, why, and where (`header 'X-Tenant'`, `the URL path`) */
  readonly refused: RefusedReference[];
  /** what to do, naming the header or the path and the references that filled it */
  readonly hint: string;

  constructor(refused: readonly RefusedReference[]) {
    const places = groupByPlace(refused);
    super(
      `the rendered request is not valid HTTP, so nothing was sent: ${places
        .map(({ at, references, reason }) => `${at} (from ${references.join(', ')}): ${reason}`)
        .join('; ')}`,
    );
    this.name = 'InvalidRequestError';
    this.refused = [...refused];
    this.hint = places.map(hintFor).join(' ');
  }
}

interface Place {
  at: string;
  reason: string;
  references: string[];
}

function hintFor({ at, reason, references }: Place): string {
  const names = references.join(', ');
  if (reason === refusedReasons.headerValue) {
    return `Give ${names} a value of visible ASCII, space, tab or Latin-1 characters only (no line breaks, control characters or characters above U+00FF): it fills ${at}.`;
  }
  if (reason === refusedReasons.dotSegment) {
    return `Give ${names} values that do not make a '.' or '..' segment of ${at}: URL parsers resolve those, so the request would go to another path.`;
  }
  return `Give ${names} a value that can be used in ${at} (${reason}).`;
}

function groupByPlace(refused: readonly RefusedReference[]): Place[] {
  const places: Place[] = [];
  for (const item of refused) {
    const at = item.at ?? 'the request';
    const found = places.find((p) => p.at === at && p.reason === item.reason);
    if (found) {
      if (!found.references.includes(item.reference)) found.references.push(item.reference);
    } else places.push({ at, reason: item.reason, references: [item.reference] });
  }
  return places;
}
