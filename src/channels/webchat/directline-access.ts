import type { Request } from 'restify';
import { hostnameOf, isLoopbackHost } from '../http/loopback';
import { HttpError } from '../http/http-errors';

export type DirectLineAccessMode = 'loopback' | 'token';

/**
 * Who may use the local web chat. Without DIRECTLINE_SECRET: only this machine, checked on
 * the peer address and on the Host header (so a web page that rebinds its DNS name to
 * 127.0.0.1 cannot drive the bot from a browser). With a secret: anyone holding a token
 * issued with it. Behind a reverse proxy every peer is loopback: set a secret there.
 */
export function accessModeOf(secret: string | undefined): DirectLineAccessMode {
  return secret ? 'token' : 'loopback';
}

export function assertAllowedClient(req: Request, mode: DirectLineAccessMode): void {
  if (mode === 'token') return;
  const peer = req.socket?.remoteAddress ?? '';
  if (!isLoopbackHost(peer) || !isLoopbackHost(hostnameOf(String(req.headers.host ?? '')))) {
    throw new HttpError(403, 'loopback_only', 'The local web chat only answers on this machine (set DIRECTLINE_SECRET to allow other clients with tokens)');
  }
}

export { hostnameOf } from '../http/loopback';
