import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import type { Logger } from '../../logging/logger';
import { guardedRoute } from './guarded-route';
import { HttpError } from './http-errors';
import { hostnameOf, isLoopbackHost } from './loopback';

export interface MetricsSource {
  readonly contentType: string;
  scrape(): Promise<string>;
}

export interface MetricsRouteOptions {
  metrics: MetricsSource;
  /** HOST the server binds: on a loopback address only this machine can reach /metrics at all. */
  host: string;
  /** METRICS_TOKEN: required as `Authorization: Bearer <token>` when the server is on a network interface. */
  token?: string;
  logger: Logger;
}

export type MetricsAccess = 'open' | 'token' | 'refused';

/**
 * Who may scrape. The decision follows the configuration, not the peer address: behind a
 * reverse proxy or an ingress every peer can look local, so a network-facing bot always
 * needs the token, and with no token configured it refuses every scrape.
 */
export function metricsAccessOf(host: string, token: string | undefined): MetricsAccess {
  if (isLoopbackHost(host)) return 'open';
  return token ? 'token' : 'refused';
}

/** GET /metrics in the Prometheus text format. */
export function mountMetricsRoute(server: Server, options: MetricsRouteOptions): void {
  const access = metricsAccessOf(options.host, options.token);
  const expected = options.token ? digest(options.token) : undefined;
  server.get(
    '/metrics',
    guardedRoute({ logger: options.logger, failure: 'metrics scrape failed' }, async (req: Request, res: Response) => {
      // A web page whose DNS name was rebound to 127.0.0.1 reaches a loopback server with its own Host.
      if (access === 'open' && !isLoopbackHost(hostnameOf(String(req.headers.host ?? ''))))
        throw new HttpError(403, 'loopback_only', 'GET /metrics on a loopback bot answers only requests addressed to a loopback host');
      if (access === 'refused') throw new HttpError(403, 'metrics_token_not_set', 'Set METRICS_TOKEN to scrape /metrics on a network interface');
      if (access === 'token' && !hasToken(req, expected!)) {
        res.header('WWW-Authenticate', 'Bearer realm="metrics"');
        throw new HttpError(401, 'metrics_unauthorized', 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>');
      }
      const body = await options.metrics.scrape();
      res.writeHead(200, { 'Content-Type': options.metrics.contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
      res.end(body);
    }),
  );
}

function hasToken(req: Request, expected: Buffer): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''));
  // Equal-length digests, so the comparison time says nothing about the token.
  return Boolean(match) && timingSafeEqual(digest(match![1]), expected);
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
