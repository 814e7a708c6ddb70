import type { Request, Response, Server } from 'restify';
import { acceptedCorrelationId, newCorrelationId, withCorrelation } from '../../logging/correlation';

export const CORRELATION_HEADER = 'X-Correlation-Id';

/**
 * Gives every request a correlation id (the caller's X-Request-Id or X-Correlation-Id when it
 * looks like one, else a new one), runs the rest of its handling inside it, and sends it back,
 * so the logs of the request, its turn and its replies can be found from the response.
 */
export function mountCorrelationIds(server: Server): void {
  server.pre((req: Request, res: Response, next: () => void) => {
    const id = acceptedCorrelationId(req.headers['x-request-id']) ?? acceptedCorrelationId(req.headers['x-correlation-id']) ?? newCorrelationId();
    res.setHeader(CORRELATION_HEADER, id);
    withCorrelation(id, next);
  });
}
