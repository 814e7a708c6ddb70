import type { Request, Response, Server } from 'restify';
import type { Activity, TurnContext } from 'botbuilder';
import type { ValidatedCloudAdapter } from './validated-cloud-adapter';
import { BotAuthError } from './bot-authentication';
import type { Logger } from '../../logging/logger';
import { guardedRoute } from '../http/guarded-route';
import { HttpError } from '../http/http-errors';
import { readJsonBody } from '../http/read-json-body';
import { describeActivityProblems, parseIncomingActivity } from './activity-schema';
import { replyBodyJson } from './reply-body-json';

export interface MessagesEndpointOptions {
  adapter: ValidatedCloudAdapter;
  logic: (context: TurnContext) => Promise<void>;
  logger: Logger;
  maxBodyBytes: number;
  /** Counts in-flight turns so shutdown can wait for them. */
  inFlight: { begin(): () => void };
  isReady(): boolean;
}

/**
 * POST /api/messages. The body is read and validated here rather than by the adapter so
 * that every bad request gets a precise status (400/413/415) and no internal error text.
 */
export function mountMessagesEndpoint(server: Server, options: MessagesEndpointOptions): void {
  const refusal = (err: unknown, correlationId: string): HttpError | undefined => {
    if (err instanceof BotAuthError) {
      // Refusals are routine (scanners, forged tokens): one line at info, never an error with a stack.
      options.logger.info({ correlationId, code: err.code, reason: err.reason }, 'refused request');
      return err.status === 401 ? new HttpError(401, 'unauthorized', 'Authentication failed') : new HttpError(403, err.code, 'This bot does not accept this request');
    }
    if ((err as { statusCode?: number }).statusCode === 401 || (err as Error).name === 'AuthenticationError') {
      options.logger.warn({ correlationId, reason: (err as Error).message }, 'rejected unauthenticated request');
      return new HttpError(401, 'unauthorized', 'Authentication failed');
    }
    return undefined;
  };
  const handle = guardedRoute({ logger: options.logger, failure: 'activity processing failed', refusal, inFlight: options.inFlight }, async (req: Request, res: Response) => {
    if (!options.isReady()) throw new HttpError(503, 'not_ready', 'The bot is starting; try again shortly');
    const { json } = await readJsonBody(req, options.maxBodyBytes);
    const parsed = parseIncomingActivity(json);
    if (!parsed.success) throw new HttpError(400, 'invalid_activity', describeActivityProblems(parsed.error));
    const authHeader = String(req.headers.authorization ?? '');
    const response = await options.adapter.processValidated(authHeader, parsed.data as unknown as Activity, options.logic);
    res.status(response?.status ?? 200);
    if (response?.body !== undefined) {
      const json = replyBodyJson(response.body);
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('Content-Length', Buffer.byteLength(json));
      res.sendRaw(json);
    }
    res.end();
  });
  server.post('/api/messages', handle);
}

export type { Activity };
