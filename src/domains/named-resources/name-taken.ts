import { AppError, type ErrorCode } from '../../core/errors.ts';

/**
 * The `*_EXISTS` answer of a create whose name another resource of the kind holds:
 * `a secret named 'X' already exists (names ignore case); rotate it … instead`.
 */
export function nameTaken(code: ErrorCode, what: string, name: string, advice: string): AppError {
  return new AppError(
    code,
    `a ${what} named '${name}' already exists (names ignore case); ${advice}`,
    { name },
  );
}
