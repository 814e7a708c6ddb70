import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Request, Response, Server } from 'restify';
import type { Activity, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { toSupportedLanguage, type Localizer } from '../../i18n/i18n';
import type { Language } from '../../config/config-schema';
import type { Logger } from '../../logging/logger';
import { describeActivityProblems, incomingActivitySchema } from '../botframework/activity-schema';
import type { ValidatedCloudAdapter } from '../botframework/validated-cloud-adapter';
import { guardedRoute, type RouteHandler } from '../http/guarded-route';
import { HttpError } from '../http/http-errors';
import { readJsonBody } from '../http/read-json-body';
import { isLoopbackHost } from '../http/loopback';
import { acceptedLanguage } from './accept-language';
import { CONNECTOR_KEY_HEADER, DIRECT_LINE_CONNECTOR_KEY } from './directline-connector-key';
import { assertAllowedClient, type DirectLineAccessMode } from './directline-access';
import { DirectLineConversationStore, type DirectLineActivity, type DirectLineConversation } from './directline-conversations';
import { bearerOf, DirectLineTokens, safeEqual, type TokenClaims } from './directline-tokens';
import { isolateRtlActivity } from './rtl-card-text';
import { CodedError } from '../../errors/coded-error';

export const WEBCHAT_CHANNEL_ID = 'webchat';
export const DIRECTLINE_BASE_PATH = '/v3/directline';
const BOT = { id: 'govai-coach', name: 'govai-coach', role: 'bot' };

export interface DirectLineEndpointOptions {
  adapter: ValidatedCloudAdapter;
  logic: (context: TurnContext) => Promise<void>;
  /** MICROSOFT_APP_ID, or '' in anonymous mode. */
  botAppId: string;
  logger: Logger;
  localizer: Localizer;
  defaultLanguage: Language;
  maxBodyBytes: number;
  access: DirectLineAccessMode;
  /** DIRECTLINE_SECRET: issues tokens (token mode) and derives their signing key. */
  secret?: string;
  inFlight: { begin(): () => void };
  isReady(): boolean;
  /** The language the learner chose in the bot (their stored choice), if any. */
  learnerLanguage(userId: string): Promise<Language | undefined>;
  conversations?: DirectLineConversationStore;
}

/** The event that tells the page which language the bot now speaks, so the page follows it. */
export const LANGUAGE_EVENT = 'govai-coach/language';

const userIdSchema = z.string().regex(/^[A-Za-z0-9_.:@-]{1,128}$/, 'must be 1-128 letters, digits or _.:@-');
const generateBodySchema = z.object({
  user: z.object({ id: userIdSchema.optional(), name: z.string().max(128).optional() }).optional(),
  locale: z.string().max(32).optional(),
});
const startBodySchema = z.object({ locale: z.string().max(32).optional() }).passthrough();

/** What a Direct Line client may post; anything else it sends is dropped. */
const postedActivitySchema = z.object({
  type: z.enum(['message', 'event', 'typing']),
  text: z.string().max(10000).optional(),
  textFormat: z.string().max(32).optional(),
  value: z.unknown().optional(),
  name: z.string().max(256).optional(),
  locale: z.string().max(32).optional(),
  localTimezone: z.string().max(64).optional(),
  channelData: z.record(z.string(), z.unknown()).optional(),
  entities: z.array(z.record(z.string(), z.unknown())).max(20).optional(),
});
type PostedActivity = z.infer<typeof postedActivitySchema>;
type Identity = Omit<TokenClaims, 'exp'>;

/** What the bot may post through the connector API: messages (cards included) and typing. */
const botActivitySchema = z.object({ type: z.enum(['message', 'typing']), serviceUrl: z.string().optional() }).passthrough();

/**
 * The Direct Line 3.0 REST subset Web Chat uses with polling (webSocket: false), served by
 * the bot itself. Every turn goes through the same Bot Framework adapter and bot logic as
 * Teams (channelId "webchat", expectReplies), so web chat shows what Teams would show.
 */
export function mountDirectLineEndpoint(server: Server, options: DirectLineEndpointOptions): void {
  const tokens = new DirectLineTokens(options.secret);
  const store = options.conversations ?? new DirectLineConversationStore();
  const { logger } = options;

  const route = (handler: RouteHandler): RouteHandler =>
    guardedRoute({ logger, failure: 'direct line request failed', inFlight: options.inFlight }, async (req, res) => {
      if (!options.isReady()) throw new HttpError(503, 'not_ready', 'The bot is starting; try again shortly');
      assertAllowedClient(req, options.access);
      res.header('Cache-Control', 'no-store');
      await handler(req, res);
    });

  /** Who is calling, from the bearer token (without its expiry, so it can be reissued). */
  const claimsOf = (req: Request, conversationId?: string): Identity => {
    const token = bearerOf(req.headers.authorization);
    if (!token) throw new HttpError(401, 'unauthorized', 'Authorization: Bearer <token> is required');
    const { exp: _expiry, ...claims } = tokens.verify(token);
    if (conversationId !== undefined && claims.conversationId !== conversationId) throw new HttpError(403, 'wrong_conversation', 'The token is for another conversation');
    return claims;
  };

  const conversationFor = (claims: Identity): DirectLineConversation =>
    // After a restart (tokens signed with DIRECTLINE_SECRET stay valid) the transcript is gone but the id is kept.
    store.get(claims.conversationId) ?? store.create({ userId: claims.userId, userName: claims.userName }, Date.now(), claims.conversationId);

  const send = (res: Response, status: number, body: unknown) => {
    res.status(status);
    res.json(body);
    res.end();
  };

  // Runs one activity through the adapter and appends the bot's replies to the transcript.
  const runTurn = async (conversation: DirectLineConversation, incoming: Partial<Activity> & { type: string; id: string }) => {
    const user = { id: conversation.userId, name: conversation.userName, role: 'user' };
    const activity = {
      ...incoming,
      channelId: WEBCHAT_CHANNEL_ID,
      serviceUrl: directLineServiceUrl(server),
      timestamp: new Date().toISOString(),
      from: user,
      recipient: BOT,
      conversation: { id: conversation.id, conversationType: 'personal', isGroup: false },
      locale: incoming.locale ?? conversation.locale,
      deliveryMode: 'expectReplies',
    };
    const parsed = incomingActivitySchema.safeParse(activity);
    if (!parsed.success) throw new CodedError('invariant_violated', `web chat built an invalid activity: ${describeActivityProblems(parsed.error)}`);
    const response = await options.adapter.processLocal(options.botAppId, parsed.data as unknown as Activity, options.logic);
    const replies = ((response?.body as { activities?: Activity[] } | undefined)?.activities ?? []).filter((a) => a.type !== 'invokeResponse' && a.type !== 'trace');
    for (const { serviceUrl: _internal, ...reply } of replies) {
      store.append(conversation, {
        ...isolateRtlActivity(reply as unknown as DirectLineActivity),
        channelId: WEBCHAT_CHANNEL_ID,
        from: BOT,
        recipient: user,
        conversation: { id: conversation.id },
        replyToId: incoming.id,
        timestamp: new Date().toISOString(),
      });
    }
    await announceLanguage(conversation, activity.locale);
  };

  // After every turn: if the bot's language for this learner changed (a Language button, a typed
  // "language fr"), tell the page, which switches its own language and direction to match.
  const announceLanguage = async (conversation: DirectLineConversation, locale: string | undefined) => {
    const lang = (await options.learnerLanguage(conversation.userId)) ?? toSupportedLanguage(locale) ?? options.defaultLanguage;
    if (lang === conversation.announcedLanguage) return;
    conversation.announcedLanguage = lang;
    store.append(conversation, { type: 'event', name: LANGUAGE_EVENT, value: { lang }, locale: lang, from: BOT, conversation: { id: conversation.id }, timestamp: new Date().toISOString() });
  };

  const enqueue = (conversation: DirectLineConversation, incoming: Partial<Activity> & { type: string; id: string }) => {
    const done = options.inFlight.begin();
    conversation.queue = conversation.queue
      .then(() => runTurn(conversation, incoming))
      .catch((err) => {
        logger.error({ err, conversationId: conversation.id, activityId: incoming.id }, 'web chat turn failed');
        const lang = toSupportedLanguage(incoming.locale ?? conversation.locale) ?? options.defaultLanguage;
        const text = options.localizer.forLanguage(lang)('webchat:errors.turnFailed');
        store.append(conversation, { type: 'message', text, locale: lang, from: BOT, conversation: { id: conversation.id }, timestamp: new Date().toISOString() });
      })
      .finally(done);
  };

  /** The welcome: a conversationUpdate adding the learner, as Teams sends for a new personal chat. */
  const start = (conversation: DirectLineConversation) => {
    if (conversation.started) return;
    conversation.started = true;
    enqueue(conversation, {
      type: 'conversationUpdate',
      id: `${conversation.id}|${conversation.instance}-start`,
      membersAdded: [{ id: conversation.userId, name: conversation.userName ?? '' }],
    });
  };

  server.post(
    `${DIRECTLINE_BASE_PATH}/tokens/generate`,
    route(async (req, res) => {
      if (options.access === 'token') {
        const given = bearerOf(req.headers.authorization);
        if (!given || !options.secret || !safeEqual(given, options.secret)) throw new HttpError(401, 'unauthorized', 'Authorization: Bearer <DIRECTLINE_SECRET> is required');
      }
      const body = generateBodySchema.safeParse(await readOptionalJson(req, options.maxBodyBytes));
      if (!body.success) throw new HttpError(400, 'invalid_request', describeActivityProblems(body.error));
      const userId = body.data.user?.id ?? `dl_${randomBytes(9).toString('base64url')}`;
      const conversation = store.create({ userId, userName: body.data.user?.name, locale: body.data.locale });
      send(res, 200, { conversationId: conversation.id, ...tokens.issue({ conversationId: conversation.id, userId, userName: conversation.userName }) });
    }),
  );

  server.post(
    `${DIRECTLINE_BASE_PATH}/tokens/refresh`,
    route(async (req, res) => {
      const claims = claimsOf(req);
      send(res, 200, { conversationId: claims.conversationId, ...tokens.issue(claims) });
    }),
  );

  server.post(
    `${DIRECTLINE_BASE_PATH}/conversations`,
    route(async (req, res) => {
      const claims = claimsOf(req);
      const body = startBodySchema.safeParse(await readOptionalJson(req, options.maxBodyBytes));
      if (!body.success) throw new HttpError(400, 'invalid_request', describeActivityProblems(body.error));
      const conversation = conversationFor(claims);
      conversation.locale ??= body.data.locale ?? acceptedLanguage(req.headers['accept-language']);
      start(conversation);
      send(res, 201, { conversationId: conversation.id, ...tokens.issue(claims) });
    }),
  );

  // Reconnect: Web Chat calls this when it resumes a conversation it already knows.
  server.get(
    `${DIRECTLINE_BASE_PATH}/conversations/:conversationId`,
    route(async (req, res) => {
      const claims = claimsOf(req, req.params.conversationId);
      start(conversationFor(claims));
      send(res, 200, { conversationId: claims.conversationId, ...tokens.issue(claims) });
    }),
  );

  server.post(
    `${DIRECTLINE_BASE_PATH}/conversations/:conversationId/activities`,
    route(async (req, res) => {
      const claims = claimsOf(req, req.params.conversationId);
      const { json } = await readJsonBody(req, options.maxBodyBytes);
      const parsed = postedActivitySchema.safeParse(json);
      if (!parsed.success) throw new HttpError(400, 'invalid_activity', describeActivityProblems(parsed.error));
      const posted: PostedActivity = parsed.data;
      const conversation = conversationFor(claims);
      if (posted.type === 'typing') return send(res, 200, { id: `${conversation.id}|typing` });
      // The echo tells Web Chat the message was delivered (matched on channelData.clientActivityID).
      const id = store.append(conversation, {
        ...posted,
        channelId: WEBCHAT_CHANNEL_ID,
        from: { id: conversation.userId, name: conversation.userName, role: 'user' },
        conversation: { id: conversation.id },
        timestamp: new Date().toISOString(),
      });
      if (posted.type === 'message') store.append(conversation, { type: 'typing', from: BOT, conversation: { id: conversation.id } });
      // Only what the bot understands goes on; client channelData stays out of the bot's turn.
      enqueue(conversation, {
        type: posted.type,
        id,
        text: posted.text,
        value: posted.value,
        name: posted.name,
        locale: posted.locale,
        localTimezone: posted.localTimezone,
        entities: posted.entities as Activity['entities'],
      });
      send(res, 200, { id });
    }),
  );

  // The Bot Framework connector API under the activities' serviceUrl, so proactive messages
  // (reminders) reach an open web chat. Only this process can call it: the bot calls itself
  // with its per-process key (added by the service URL policy), from this host.
  const connectorRoute = route(async (req, res) => {
    const { remoteAddress, localAddress } = req.socket;
    const key = req.headers[CONNECTOR_KEY_HEADER];
    const fromHere = remoteAddress !== undefined && (remoteAddress === localAddress || isLoopbackHost(remoteAddress));
    if (!fromHere || typeof key !== 'string' || !safeEqual(key, DIRECT_LINE_CONNECTOR_KEY)) throw new HttpError(403, 'forbidden', 'Only the bot itself may post here');
    const conversation = store.get(req.params.conversationId);
    if (!conversation) throw new HttpError(404, 'conversation_not_found', 'No such web chat conversation (it ended or the bot restarted)');
    const { json } = await readJsonBody(req, options.maxBodyBytes);
    const parsed = botActivitySchema.safeParse(json);
    if (!parsed.success) throw new HttpError(400, 'invalid_activity', describeActivityProblems(parsed.error));
    const { serviceUrl: _internal, ...activity } = parsed.data;
    const id = store.append(conversation, {
      ...isolateRtlActivity(activity as DirectLineActivity),
      channelId: WEBCHAT_CHANNEL_ID,
      from: BOT,
      conversation: { id: conversation.id },
      timestamp: new Date().toISOString(),
    });
    send(res, 200, { id });
  });
  server.post(`${DIRECTLINE_BASE_PATH}/v3/conversations/:conversationId/activities`, connectorRoute);
  server.post(`${DIRECTLINE_BASE_PATH}/v3/conversations/:conversationId/activities/:activityId`, connectorRoute);

  server.get(
    `${DIRECTLINE_BASE_PATH}/conversations/:conversationId/activities`,
    route(async (req, res) => {
      const claims = claimsOf(req, req.params.conversationId);
      const watermark = new URL(req.url ?? '', 'http://localhost').searchParams.get('watermark') ?? undefined;
      send(res, 200, store.since(conversationFor(claims), watermark));
    }),
  );
}

/** This server's own address (loopback when it listens on every interface), where the bot can reach itself. */
export function directLineServiceUrl(server: Server): string {
  const address = server.address() as AddressInfo | null;
  if (!address) return `http://127.0.0.1${DIRECTLINE_BASE_PATH}/`;
  const anyInterface = address.address === '0.0.0.0' || address.address === '::';
  const host = anyInterface ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}${DIRECTLINE_BASE_PATH}/`;
}

/** A JSON body that may also be absent (Direct Line clients post some requests without one). */
async function readOptionalJson(req: Request, maxBytes: number): Promise<unknown> {
  const length = Number(req.headers['content-length'] ?? 0);
  if (!req.headers['content-type'] && !(length > 0) && !req.headers['transfer-encoding']) return {};
  const { json } = await readJsonBody(req, maxBytes);
  return json ?? {};
}
