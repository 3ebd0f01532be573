/**
 * The one error catalog: stable code → HTTP status → message. Codes are never renamed
 * or reused. Keep in step with docs/reference/errors.md (src/core/errors.test.ts checks).
 */
export const errorCatalog = {
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid' },
  INVALID_JSON: { status: 400, message: 'The request body is not acceptable JSON' },
  UNAUTHENTICATED: { status: 401, message: 'A valid bearer token is required' },
  FORBIDDEN: { status: 403, message: 'This token may not do that' },
  PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    message: 'Change your password first: someone else set it',
  },
  NOT_FOUND: { status: 404, message: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'This path does not take this method' },
  CONNECTION_NAME_TAKEN: { status: 409, message: 'A connection with this name already exists' },
  CONNECTION_NAME_AMBIGUOUS: {
    status: 409,
    message: 'This name matches connections in several projects; name the project',
  },
  REVISION_CONFLICT: { status: 409, message: 'The connection changed since you read it' },
  ENVIRONMENT_EXISTS: { status: 409, message: 'An environment with this id already exists' },
  ENVIRONMENT_IN_USE: { status: 409, message: 'Connections still use this environment' },
  PROJECT_EXISTS: { status: 409, message: 'A project with this id already exists' },
  PROJECT_IN_USE: { status: 409, message: 'The project still holds connections' },
  VARIABLE_EXISTS: { status: 409, message: 'A variable with this name already exists' },
  VARIABLE_IN_USE: { status: 409, message: 'Connections still use this variable' },
  SECRET_EXISTS: { status: 409, message: 'A secret with this name already exists' },
  SECRET_IN_USE: { status: 409, message: 'Connections still use this secret' },
  CERTIFICATE_EXISTS: { status: 409, message: 'A certificate with this name already exists' },
  CERTIFICATE_IN_USE: { status: 409, message: 'Connections still trust this certificate' },
  KEY_STORE_EXISTS: { status: 409, message: 'A key store with this name already exists' },
  KEY_STORE_IN_USE: { status: 409, message: 'Connections still use this key store' },
  CONNECTION_DISABLED: { status: 409, message: 'The connection is disabled' },
  CONNECTION_NOT_DEPLOYED: {
    status: 409,
    message: 'The connection is not deployed to this environment',
  },
  CONNECTION_IN_USE: { status: 409, message: 'The connection is still used' },
  APPROVAL_REQUIRED: { status: 409, message: 'This deployment needs a second approval' },
  DELIVERY_NOT_FINISHED: {
    status: 409,
    message: 'Only a succeeded or failed delivery can be replayed',
  },
  USER_EXISTS: { status: 409, message: 'A user with this name already exists' },
  LAST_ADMIN: { status: 409, message: 'This would leave no enabled admin' },
  TOKEN_EXISTS: { status: 409, message: 'You already have a token with this name' },
  APPROVAL_NOT_PENDING: { status: 409, message: 'The approval was already decided or expired' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is larger than allowed' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the body as application/json' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    message: 'This Idempotency-Key was already sent with a different request',
  },
  RATE_LIMITED: { status: 429, message: 'Too many requests' },
  INTERNAL: { status: 500, message: 'Something went wrong on our side' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalog;
export const errorCodes = Object.keys(errorCatalog) as ErrorCode[];

/** One problem of a VALIDATION_FAILED answer: where (a field path) and what. */
export interface Problem {
  /** e.g. `environments.production.headers[1].value`; '' for the whole body */
  path: string;
  message: string;
}

/** An expected failure with a stable code; anything else is rendered as INTERNAL. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? errorCatalog[code].message);
    this.name = 'AppError';
    this.code = code;
    this.status = errorCatalog[code].status;
    this.details = details;
  }
}

export function validationFailed(problems: Problem[]): AppError {
  const first = problems[0];
  const summary = first
    ? `${first.path || 'body'}: ${first.message}` +
      (problems.length > 1 ? ` (and ${problems.length - 1} more)` : '')
    : errorCatalog.VALIDATION_FAILED.message;
  return new AppError('VALIDATION_FAILED', summary, { problems });
}

export function notFound(what: string, idOrName: string): AppError {
  return new AppError('NOT_FOUND', `${what} '${idOrName}' was not found`, { what, id: idOrName });
}

/** Formats a zod-style path (['a', 'b', 1, 'c']) as `a.b[1].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}
