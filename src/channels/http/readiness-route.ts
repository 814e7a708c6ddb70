import type { Request, Response, Server } from 'restify';
import type { Logger } from '../../logging/logger';
import { CodedError } from '../../errors/coded-error';
import { guardedRoute } from './guarded-route';

/** One dependency a turn needs; resolves when it is usable, throws (or hangs) when not. */
export type ReadinessCheck = () => Promise<void>;

export interface ReadinessRouteOptions {
  checks: Record<string, ReadinessCheck>;
  logger: Logger;
  /** A check that has not answered by then counts as failed, so the probe itself never hangs. */
  timeoutMs?: number;
}

/**
 * GET /readyz: readiness (may this instance get traffic now?), unlike /healthz, which is
 * liveness (is the process alive?). 503 while any check fails, e.g. while the database is
 * unreachable, so a load balancer sends learners to an instance that can answer them.
 */
export function mountReadinessRoute(server: Server, options: ReadinessRouteOptions): void {
  const timeoutMs = options.timeoutMs ?? 2000;
  server.get(
    '/readyz',
    guardedRoute({ logger: options.logger, failure: 'readiness probe failed' }, async (_req: Request, res: Response) => {
      const names = Object.keys(options.checks);
      const outcomes = await Promise.all(
        names.map((name) =>
          withTimeout(options.checks[name](), timeoutMs).then(
            () => 'ok' as const,
            (err: unknown) => {
              options.logger.warn({ check: name, err: { message: (err as Error).message, code: (err as { code?: string }).code } }, 'readiness check failed');
              return 'failing' as const;
            },
          ),
        ),
      );
      const checks = Object.fromEntries(names.map((name, i) => [name, outcomes[i]]));
      const ready = outcomes.every((o) => o === 'ok');
      res.status(ready ? 200 : 503);
      res.header('Cache-Control', 'no-store');
      res.json({ status: ready ? 'ready' : 'not_ready', checks });
      res.end();
    }),
  );
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new CodedError('timeout', `no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
