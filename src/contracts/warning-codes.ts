/**
 * What a save (or a test) can warn about: the change was made, but the user should know
 * something. A closed set, documented in docs/reference/warnings.md and kept in step with it
 * and the OpenAPI `Warning` schema by src/contracts/codes.test.ts. Warnings are answered next
 * to the saved resource (`warnings: [{code, path, message}]`); they never block.
 *
 * No zod here: the console imports it (side-effect free).
 */
export const warningCodes = [
  /** plain http:// in a production-kind environment */
  'INSECURE_URL',
  /** a header value that is a credential written in clear (Authorization, X-Api-Key…) */
  'LITERAL_CREDENTIAL',
  /** a variable whose name looks like a credential */
  'LIKELY_SECRET',
  /** an env or file secret this process cannot read now */
  'SECRET_SOURCE_UNAVAILABLE',
  /** a stored certificate has expired */
  'CERTIFICATE_EXPIRED',
  /** a stored certificate expires within 30 days */
  'CERTIFICATE_EXPIRES_SOON',
  /** a stored certificate is not valid yet */
  'CERTIFICATE_NOT_YET_VALID',
  /** a CA certificate that is not marked as a CA */
  'CERTIFICATE_NOT_CA',
  /** a key store's certificate is not issued for TLS client authentication */
  'KEY_STORE_NOT_CLIENT_AUTH',
  /** Test Connection: the target's certificate has expired */
  'TARGET_CERTIFICATE_EXPIRED',
  /** Test Connection: the target's certificate expires within 30 days */
  'TARGET_CERTIFICATE_EXPIRES_SOON',
  /** Test Connection ran on a disabled connection (invoke and deliveries are refused) */
  'CONNECTION_DISABLED',
] as const;

export type WarningCode = (typeof warningCodes)[number];
