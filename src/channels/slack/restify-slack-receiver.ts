import { parse as parseQueryString } from 'node:querystring';
import type { Request, Response, Server } from 'restify';
import type { App as BoltApp, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../../logging/logger';
import type { StoragePort } from '../../ports/storage';
import { guardedRoute } from '../http/guarded-route';
import { HttpError } from '../http/http-errors';
import { readRawBody } from '../http/read-json-body';
import { parseUntrustedJson } from '../http/untrusted-json';
import { describeSchemaProblems } from '../http/schema-problems';
import { slackEnvelopeSchema, type SlackRequestFamily } from './slack-envelope';
import { cleanUserText } from '../../core/text-normalize';
import { SlackEventDedupe, type EventClaim } from './slack-event-dedupe';
import { SlackSignatureError, verifySlackSignature } from './slack-signature';
import { CodedError } from '../../errors/coded-error';

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
  /** How long one instance may work on an event before another takes it over (tests shorten it). */
  eventLeaseMs?: number;
  /** Events the app would ignore: acknowledged without a delivery receipt and not handled, so they leave no record. */
  unrecorded?: (body: Record<string, unknown>) => Promise<boolean>;
}

/**
 * A Bolt Receiver on our restify server (the same server as /api/messages), written like
 * bolt-js's HTTPReceiver but with the signature check, replay window and retry dedupe
 * explicit: every request is verified before Bolt sees it, and an Events API event is
 * answered once across all instances, also when the instance answering it dies (see SlackEventDedupe).
 */
export class RestifySlackReceiver implements Receiver {
  private bolt?: BoltApp;
  private readonly log: Logger;
  private readonly dedupe: SlackEventDedupe;

  constructor(private readonly options: RestifySlackReceiverOptions) {
    this.log = options.logger.child({ component: 'slack-receiver' });
    this.dedupe = new SlackEventDedupe(options.storage, this.log, options.eventLeaseMs);
    const handle = guardedRoute({ logger: this.log, failure: 'slack request failed', context: (req) => ({ url: req.url }), inFlight: options.inFlight }, (req, res) => this.handle(req, res));
    for (const path of Object.values(SLACK_PATHS)) options.server.post(path, handle);
  }

  init(app: BoltApp): void {
    this.bolt = app;
  }

  /** The restify server is started and stopped by the app; nothing to do here. */
  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  private async handle(req: Request, res: Response): Promise<void> {
    if (!this.options.isReady() || !this.bolt) throw new HttpError(503, 'not_ready', 'The bot is starting; try again shortly');
    const rawBody = await readRawBody(req, this.options.maxBodyBytes);
    const form = /^application\/x-www-form-urlencoded\b/i.test(String(req.headers['content-type'] ?? ''));
    // Slack's ssl_check for slash command URLs is unsigned and carries nothing to process.
    if (form && parseQueryString(rawBody).ssl_check === '1') return void res.send(200);
    this.verify(req, rawBody);
    const parsed = parseBody(rawBody, form);
    const checked = slackEnvelopeSchema(parsed.body, parsed.family).safeParse(parsed.body);
    if (!checked.success) throw new HttpError(400, 'invalid_payload', describeSchemaProblems(checked.error));
    const body = checked.data;
    if (body.type === 'url_verification') {
      res.json(200, { challenge: String(body.challenge ?? '') });
      return;
    }
    let claim: EventClaim | undefined;
    if (body.type === 'event_callback' && (await this.options.unrecorded?.(body))) return void res.send(200);
    if (body.type === 'event_callback' && typeof body.event_id === 'string') {
      const eventTime = typeof body.event_time === 'number' ? body.event_time : undefined;
      claim = await this.dedupe.claim(body.event_id, eventTime);
      const retry = { eventId: body.event_id, retryNum: header(req, 'x-slack-retry-num'), retryReason: header(req, 'x-slack-retry-reason') };
      if (claim.outcome === 'done') {
        this.log.info(retry, 'duplicate Slack event ignored');
        res.send(200);
        return;
      }
      if (claim.outcome === 'in-progress') {
        // Not 200: should the instance answering it die, Slack's next retry gets the event.
        this.log.info(retry, 'Slack event is being answered by another attempt; asking Slack to retry later');
        throw new HttpError(503, 'event_in_progress', 'This event is being processed; retry later');
      }
    }
    await this.dispatch(req, res, body, claim?.outcome === 'process' ? claim : undefined);
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

  /** Hands the request to Bolt; an event is marked done once its listeners (the reply included) finished. */
  private async dispatch(req: Request, res: Response, body: Record<string, unknown>, claim?: Extract<EventClaim, { outcome: 'process' }>): Promise<void> {
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
      await claim?.complete();
      if (!acked) respond(404, { error: { code: 'unhandled', message: 'No handler acknowledged this request' } });
    } catch (err) {
      await claim?.abandon();
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
function parseBody(rawBody: string, form: boolean): { body: Record<string, unknown>; family: SlackRequestFamily } {
  try {
    if (!form) return { body: jsonObject(parseUntrustedJson(rawBody)), family: 'event' };
    const fields = parseQueryString(rawBody);
    if (typeof fields.payload === 'string') return { body: jsonObject(parseUntrustedJson(fields.payload)), family: 'interaction' };
    const flat: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(fields)) flat[k] = cleanUserText((Array.isArray(v) ? v[0] : v) ?? '');
    return { body: flat, family: 'command' };
  } catch {
    throw new HttpError(400, 'malformed_body', 'The request body is not a valid Slack payload');
  }
}

function jsonObject(json: unknown): Record<string, unknown> {
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new CodedError('malformed_body', 'not an object');
  return json as Record<string, unknown>;
}
