import restify, { type Server } from 'restify';
import type { Logger } from '../../logging/logger';
import { guardedRoute } from './guarded-route';

export interface ReadinessState {
  ready: boolean;
  startedAt: number;
  version: string;
}

/** Counts requests in progress so a graceful shutdown can wait for them to finish. */
export class InFlightTracker {
  private count = 0;
  private waiters: (() => void)[] = [];

  begin(): () => void {
    this.count++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.count--;
      if (this.count === 0) for (const w of this.waiters.splice(0)) w();
    };
  }

  get size(): number {
    return this.count;
  }

  /** Resolves when nothing is in flight, or after `timeoutMs`. */
  drain(timeoutMs: number): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** The restify server with health and error handling; channel routes are mounted on it. */
export function createHttpServer(logger: Logger, readiness: ReadinessState): Server {
  const server = restify.createServer({ name: 'govai-coach', handleUncaughtExceptions: false });
  server.get(
    '/healthz',
    guardedRoute({ logger, failure: 'health probe failed' }, async (_req, res) => {
      const body = { status: readiness.ready ? 'ok' : 'starting', version: readiness.version, uptimeSeconds: Math.round((Date.now() - readiness.startedAt) / 1000) };
      res.status(readiness.ready ? 200 : 503);
      res.json(body);
      res.end();
    }),
  );
  // Restify's own 404/405 bodies are fine; make sure nothing echoes internals for other errors.
  server.on('restifyError', (req, _res, err, callback) => {
    if ((err as { statusCode?: number }).statusCode && (err as { statusCode: number }).statusCode >= 500) {
      logger.error({ err, url: req.url }, 'request failed');
      err.toJSON = () => ({ error: { code: 'internal_error', message: 'Internal error' } });
    }
    return callback();
  });
  return server;
}
