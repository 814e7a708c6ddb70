import type { Response } from 'restify';
import { CodedError } from '../../errors/coded-error';
import type { ErrorCode } from '../../errors/error-codes';

/** An error that answers an HTTP request: its status, a registered code and a message safe to show the client. */
export class HttpError extends CodedError {
  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}

/** Writes `{error: {code, message}}` with the error's status (nothing once the headers are out). */
export function sendError(res: Response, err: HttpError, extra?: Record<string, unknown>): void {
  if (res.headersSent) return;
  res.status(err.status);
  res.json({ ...extra, error: { code: err.code, message: err.message } });
  res.end();
}
