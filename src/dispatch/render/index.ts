/** Template rendering of the outbound runtime (DESIGN.md §1 Templates, §2 step 2). */
export {
  /** Compiles one environment's URL and header templates; `render` per call. */
  compileRequest,
  /** Why a `{{secret.*}}` in a call's body is refused (a TemplateUnresolvedError's reason). */
  bodySecretRefusedReason,
  /** The VALIDATION_FAILED message for a call's body that names secrets. */
  describeBodySecrets,
  /** The `{{secret.*}}` references in a call's body: refused when a delivery is accepted. */
  secretReferencesInBody,
  type CompiledRequest,
  type CompileRequestOptions,
  type FixedHeaderValues,
  type RenderedRequest,
  type RequestReferences,
} from './compile-request.ts';
export {
  /** Compiles one template text (a URL or a header value) once. */
  compileTemplate,
  /** Throws a TemplateUnresolvedError for the problems gathered, if any. */
  throwIfProblems,
  type CompiledTemplate,
  type RenderOptions,
  type TemplateProblems,
  type TemplateValues,
} from './compile-template.ts';
/** The error (code TEMPLATE_UNRESOLVED) naming every missing or refused reference. */
export { TemplateUnresolvedError, type RefusedReference } from './template-unresolved-error.ts';
/** The error (code INVALID_REQUEST) of a rendered request HTTP does not allow. */
export { InvalidRequestError } from './invalid-request-error.ts';
