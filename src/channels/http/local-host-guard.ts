import type { Request, Response, Server } from 'restify';
import { hostnameOf, isLoopbackHost } from './loopback';

export interface LocalHostGuardOptions {
  /** Host names besides loopback that requests may name (the host of PUBLIC_BASE_URL). */
  extraHosts: string[];
  /** Routes that authenticate every request themselves (Slack signatures, Direct Line tokens). */
  exempt(path: string): boolean;
}

/**
 * Without bot credentials the bot trusts whoever reaches it, which is safe only if that is this
 * machine. A web page whose DNS name is rebound to 127.0.0.1 reaches it through the user's
 * browser, but with its own name in Host (and Origin): those requests get 403 on every route.
 */
export function mountLocalHostGuard(server: Server, options: LocalHostGuardOptions): void {
  const extra = new Set(options.extraHosts.map((h) => h.toLowerCase()));
  const allowedHost = (host: string) => isLoopbackHost(host) || extra.has(host.toLowerCase());
  server.pre((req: Request, res: Response, next: (err?: false) => void) => {
    const path = (req.url ?? '/').split('?')[0];
    if (options.exempt(path)) return next();
    const origin = req.headers.origin;
    if (!allowedHost(hostnameOf(String(req.headers.host ?? ''))) || (origin !== undefined && !allowedHost(originHost(origin)))) {
      res.status(403);
      res.json({ error: { code: 'forbidden_host', message: 'This bot only answers requests addressed to this machine' } });
      return next(false);
    }
    return next();
  });
}

function originHost(origin: string): string {
  try {
    return new URL(origin).hostname;
  } catch {
    // "null" (sandboxed frames, file: pages) and anything unparsable.
    return '';
  }
}
