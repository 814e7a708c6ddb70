import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'restify';
import { currentCorrelationId } from '../../logging/correlation';
import type { Logger } from '../../logging/logger';
import { HttpError, sendError } from './http-errors';

export type RouteHandler = (req: Request, res: Response) => Promise<void>;

export interface GuardedRouteOptions {
  logger: Logger;
  /** The log line of an unexpected failure, e.g. "certificate lookup failed". */
  failure: string;
  /** Fields logged with an unexpected failure (never the body). */
  context?: (req: Request) => Record<string, unknown>;
  /** Fields every error body carries besides `error` (the certificate API's `valid: false`). */
  errorBody?: Record<string, unknown>;
  /** Maps an expected refusal of the route's own kind (an authentication error) to its answer; it logs it itself. */
  refusal?: (err: unknown, correlationId: string) => HttpError | undefined;
  /** Counts the request while it runs, so a shutdown can wait for the turns in flight. */
  inFlight?: { begin(): () => void };
}

/**
 * The error handling every restify route shares: an HttpError is answered with its status and
 * code; anything else is logged with the route's context and answered 500 with a reference to
 * the log line, never internal text.
 */
export function guardedRoute(options: GuardedRouteOptions, handler: RouteHandler): RouteHandler {
  return async (req, res) => {
    const done = options.inFlight?.begin();
    try {
      await handler(req, res);
    } catch (err) {
      if (err instanceof HttpError) return sendError(res, err, options.errorBody);
      const correlationId = currentCorrelationId() ?? randomUUID();
      const refused = options.refusal?.(err, correlationId);
      if (refused) return sendError(res, refused, options.errorBody);
      options.logger.error({ err, correlationId, ...options.context?.(req) }, options.failure);
      sendError(res, new HttpError(500, 'internal_error', `Internal error (reference ${correlationId.slice(0, 8)})`), options.errorBody);
    } finally {
      done?.();
    }
  };
}
