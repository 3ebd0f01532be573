const textTypes =
  /^(text\/|application\/([\w.+-]+\+)?(json|xml)|application\/(x-www-form-urlencoded|javascript|yaml|x-yaml|graphql))/i;

/** Text bodies are shown as text; anything else as base64 so no bytes are mangled. */
export function encodeBodyForDisplay(
  bytes: Buffer,
  contentType: string | undefined,
): { body: string; bodyEncoding: 'utf8' | 'base64' } {
  if (bytes.length === 0 || contentType === undefined || isTextType(contentType)) {
    return { body: bytes.toString('utf8'), bodyEncoding: 'utf8' };
  }
  return { body: bytes.toString('base64'), bodyEncoding: 'base64' };
}

/** The answer per Content-Type value, remembered: a target sends the same one every time. */
const textByType = new Map<string, boolean>();
const maxRememberedTypes = 256;

function isTextType(contentType: string): boolean {
  let text = textByType.get(contentType);
  if (text === undefined) {
    text = textTypes.test(contentType.trim());
    if (textByType.size >= maxRememberedTypes) textByType.clear();
    textByType.set(contentType, text);
  }
  return text;
}
