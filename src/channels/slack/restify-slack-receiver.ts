import { parse as parseQueryString } from 'node:querystring';
import type { Request, Response, Server } from 'restify';
import type { App as BoltApp, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../../logging/logger';
import type { StoragePort } from '../../ports/storage';
import { HttpError, readRawBody } from '../http/read-json-body';
import { sendError } from '../botframework/messages-endpoint';
import { SlackEventDedupe } from './slack-event-dedupe';
import { SlackSignatureError, verifySlackSignature } from './slack-signature';

export const SLACK_PATHS = {
  events: '/api/slack/events',
  interactions: '/api/slack/interactions',
  commands: '/api/slack/commands',
} as const;

/** Slack expects an answer within 3 s; Bolt's receivers give up on an unacknowledged request at 3.001 s. */
const ACK_TIMEOUT_MS = 3001;

export interface RestifySlackReceiverOptions {
  server: Server;
  signingSecret: string;
  storage: StoragePort;
  logger: Logger;
  maxBodyBytes: number;
  inFlight: { begin(): () => void };
  isReady(): boolean;
}

/**
 * A Bolt Receiver on our restify server (the same server as /api/messages), written like
 * bolt-js's HTTPReceiver but with the signature check, replay window and retry dedupe
 * explicit: every request is verified before Bolt sees it, and an Events API event id is
 * processed once across all instances (see SlackEventDedupe).
 */
export class RestifySlackReceiver implements Receiver {
  private bolt?: BoltApp;
  private readonly log: Logger;
  private readonly dedupe: SlackEventDedupe;

  constructor(private readonly options: RestifySlackReceiverOptions) {
    this.log = options.logger.child({ component: 'slack-receiver' });
    this.dedupe = new SlackEventDedupe(options.storage, this.log);
    for (const path of Object.values(SLACK_PATHS)) options.server.post(path, async (req: Request, res: Response) => this.handle(req, res));
  }

  init(app: BoltApp): void {
    this.bolt = app;
  }

  /** The restify server is started and stopped by the app; nothing to do here. */
  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  private async handle(req: Request, res: Response): Promise<void> {
    const done = this.options.inFlight.begin();
    try {
      if (!this.options.isReady() || !this.bolt) throw new HttpError(503, 'not_ready', 'The bot is starting; try again shortly');
      const rawBody = await readRawBody(req, this.options.maxBodyBytes);
      const form = /^application\/x-www-form-urlencoded\b/i.test(String(req.headers['content-type'] ?? ''));
      // Slack's ssl_check for slash command URLs is unsigned and carries nothing to process.
      if (form && parseQueryString(rawBody).ssl_check === '1') return void res.send(200);
      this.verify(req, rawBody);
      const body = parseBody(rawBody, form);
      if (body.type === 'url_verification') {
        res.json(200, { challenge: String(body.challenge ?? '') });
        return;
      }
      if (body.type === 'event_callback' && typeof body.event_id === 'string') {
        const eventTime = typeof body.event_time === 'number' ? body.event_time : undefined;
        if (!(await this.dedupe.firstDelivery(body.event_id, eventTime))) {
          this.log.info({ eventId: body.event_id, retryNum: header(req, 'x-slack-retry-num'), retryReason: header(req, 'x-slack-retry-reason') }, 'duplicate Slack event ignored');
          res.send(200);
          return;
        }
      }
      await this.dispatch(req, res, body);
    } catch (err) {
      if (err instanceof HttpError) return sendError(res, err);
      this.log.error({ err, url: req.url }, 'slack request failed');
      sendError(res, new HttpError(500, 'internal_error', 'Internal error'));
    } finally {
      done();
    }
  }

  private verify(req: Request, rawBody: string): void {
    try {
      verifySlackSignature(this.options.signingSecret, { timestamp: header(req, 'x-slack-request-timestamp'), signature: header(req, 'x-slack-signature'), rawBody });
    } catch (err) {
      if (!(err instanceof SlackSignatureError)) throw err;
      this.log.warn({ code: err.code, url: req.url }, 'rejected unsigned or invalid Slack request');
      throw new HttpError(401, err.code, 'Slack request signature verification failed');
    }
  }

  private async dispatch(req: Request, res: Response, body: Record<string, unknown>): Promise<void> {
    let acked = false;
    const respond = (status: number, payload?: unknown) => {
      if (acked || res.headersSent) return;
      acked = true;
      if (payload === undefined || payload === '') res.send(status);
      else if (typeof payload === 'string') res.send(status, payload, { 'Content-Type': 'text/plain; charset=utf-8' });
      else res.json(status, payload);
    };
    const timer = setTimeout(() => {
      if (acked) return;
      this.log.warn({ url: req.url }, 'Slack request not acknowledged in time');
      respond(404, { error: { code: 'unhandled', message: 'No handler acknowledged this request' } });
    }, ACK_TIMEOUT_MS);
    const retry = header(req, 'x-slack-retry-num');
    const event: ReceiverEvent = {
      body,
      retryNum: retry === undefined ? undefined : Number(retry),
      retryReason: header(req, 'x-slack-retry-reason'),
      ack: async (response?: unknown) => {
        clearTimeout(timer);
        respond(200, response);
      },
    };
    try {
      await this.bolt!.processEvent(event);
      if (!acked) respond(404, { error: { code: 'unhandled', message: 'No handler acknowledged this request' } });
    } catch (err) {
      this.log.error({ err }, 'Slack event processing failed');
      respond(500, { error: { code: 'internal_error', message: 'Internal error' } });
    } finally {
      clearTimeout(timer);
    }
  }
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Events are JSON; interactions are a form with a JSON `payload`; slash commands are a plain form. */
function parseBody(rawBody: string, form: boolean): Record<string, unknown> {
  try {
    if (!form) {
      const json = JSON.parse(rawBody) as unknown;
      if (!json || typeof json !== 'object' || Array.isArray(json)) throw new Error('not an object');
      return json as Record<string, unknown>;
    }
    const fields = parseQueryString(rawBody);
    if (typeof fields.payload === 'string') return JSON.parse(fields.payload) as Record<string, unknown>;
    const flat: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(fields)) flat[k] = Array.isArray(v) ? v[0] : v;
    return flat;
  } catch {
    throw new HttpError(400, 'malformed_body', 'The request body is not a valid Slack payload');
  }
}
