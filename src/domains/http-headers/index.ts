// STUB: replaced by the http-headers work.
export function createHttpHeaderService() {
  return {};
}
