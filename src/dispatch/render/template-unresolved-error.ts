/**
 * A reference that has a value Hookline will not put where the template asks for it, e.g. a
 * header value holding a line break. `reason` is fixed wording of ours, never the value.
 */
export interface RefusedReference {
  /** `namespace.NAME`, e.g. `secret.API_KEY` */
  reference: string;
  reason: string;
  /** where it was to go, when known: `header 'X-Tenant'`, `the URL path` */
  at?: string;
}

/** Names in a message are cut past this many: a request has at most 64 headers anyway. */
const maxNamesShown = 20;

/**
 * A request could not be rendered (outcome TEMPLATE_UNRESOLVED, DESIGN.md §1 Templates):
 * some references have no value (`missing`), or a value that cannot be used where it stands
 * (`refused`). Lists every problem of the whole request, not just the first, so one failed
 * call tells the user everything to fix. The message names references, never a value.
 */
export class TemplateUnresolvedError extends Error {
  readonly code = 'TEMPLATE_UNRESOLVED';
  /** references without a value, in order of first use: `['secret.API_KEY', 'param.orderId']` */
  readonly missing: string[];
  /** references whose value cannot be used where it stands */
  readonly refused: RefusedReference[];

  constructor(missing: readonly string[], refused: readonly RefusedReference[] = []) {
    super(describeProblems(missing, refused));
    this.name = 'TemplateUnresolvedError';
    this.missing = [...missing];
    this.refused = [...refused];
  }
}

function describeProblems(
  missing: readonly string[],
  refused: readonly RefusedReference[],
): string {
  const parts: string[] = [];
  if (missing.length > 0) {
    parts.push(`no value for ${listNames(missing)}`);
  }
  if (refused.length > 0) {
    const shown = refused.slice(0, maxNamesShown).map((r) => `${r.reference} (${r.reason})`);
    const more =
      refused.length > maxNamesShown ? ` and ${refused.length - maxNamesShown} more` : '';
    parts.push(`cannot use ${shown.join(', ')}${more}`);
  }
  return `template references unresolved: ${parts.join('; ') || 'none named'}`;
}

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, maxNamesShown).join(', ');
  return names.length > maxNamesShown ? `${shown} and ${names.length - maxNamesShown} more` : shown;
}
