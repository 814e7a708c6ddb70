import type { ErrorCode } from './error-codes';

/**
 * The one base of govai-coach's errors: a registered `code` (src/errors/error-codes.ts) that
 * logs, HTTP answers and tests can rely on, and a message for people. Named subclasses
 * (StorageConflictError, HttpError…) add the fields their callers need and keep `instanceof`
 * checks working; a one-off failure throws `new CodedError('code', message)` directly.
 */
export class CodedError<C extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly code: C,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
