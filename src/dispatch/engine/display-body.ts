const textTypes =
  /^(text\/|application\/([\w.+-]+\+)?(json|xml)|application\/(x-www-form-urlencoded|javascript|yaml|x-yaml|graphql))/i;

/** Text bodies are shown as text; anything else as base64 so no bytes are mangled. */
export function encodeBodyForDisplay(
  bytes: Buffer,
  contentType: string | undefined,
): { body: string; bodyEncoding: 'utf8' | 'base64' } {
  if (bytes.length === 0 || contentType === undefined || textTypes.test(contentType.trim())) {
    return { body: bytes.toString('utf8'), bodyEncoding: 'utf8' };
  }
  return { body: bytes.toString('base64'), bodyEncoding: 'base64' };
}
