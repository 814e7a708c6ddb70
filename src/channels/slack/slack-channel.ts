import type { Server } from 'restify';
import { App as BoltApp, type webApi } from '@slack/bolt';
import type { AppConfig } from '../../config/config';
import type { Coach } from '../../core/coach';
import type { TurnInput } from '../../core/turn';
import type { Localizer } from '../../i18n/i18n';
import type { Logger } from '../../logging/logger';
import type { StoragePort } from '../../ports/storage';
import { actionFromSlackPayload } from './slack-action-payload';
import { boltLogger } from './bolt-logger';
import { SlackDelivery, type SlackTarget } from './slack-delivery';
import { homeView } from './slack-home';
import { personalPointer, splitPersonal } from '../personal-pointer';
import { appHomeOpenedEventSchema, appMentionEventSchema, blockActionsSchema, messageEventSchema, plainTextOf, scopeOfSlackChannel, slashCommandSchema } from './slack-payloads';
import { RestifySlackReceiver } from './restify-slack-receiver';
import { slackUpload } from './slack-file-upload';
import type { AttachmentFiles } from './slack-file-attachments';
import { concernsFollowedThread, takeSlackChannelMessage } from './slack-thread-intake';
import type { DiscussionThreads } from '../../core/facilitation/threads/discussion-threads';

/** Learners reached natively or through Azure Bot Service share this channel id (same Slack user ids). */
export const SLACK_CHANNEL_ID = 'slack';

export interface SlackChannelOptions {
  config: AppConfig;
  coach: Coach;
  localizer: Localizer;
  storage: StoragePort;
  logger: Logger;
  server: Server;
  inFlight: { begin(): () => void };
  isReady(): boolean;
  /** Replies in discussion threads (message.channels, message.groups). */
  threads?: DiscussionThreads;
  /** Files behind attachment links (a cohort export), uploaded with files.uploadV2. */
  attachmentFiles?: AttachmentFiles;
}

/**
 * Native Slack with Bolt on our restify server: DMs (message.im), @mentions in channels
 * (answered in a thread), buttons (block_actions), the /course slash command and the App
 * Home tab. Events are acknowledged before the coach runs, so slow Q&A never delays the ack.
 */
export function mountSlack(options: SlackChannelOptions): BoltApp {
  const { config, coach, localizer, storage, logger } = options;
  const log = logger.child({ component: 'slack' });
  const botToken = config.SLACK_BOT_TOKEN!;
  const receiver = new RestifySlackReceiver({
    server: options.server,
    signingSecret: config.SLACK_SIGNING_SECRET!,
    storage,
    logger,
    maxBodyBytes: config.MAX_BODY_BYTES,
    inFlight: options.inFlight,
    isReady: options.isReady,
    // Channel messages are only ever kept as discussion replies: the others get no delivery receipt either.
    unrecorded: async (body) => {
      const event = body.event as { type?: unknown; channel?: unknown } | undefined;
      if (event?.type !== 'message' || typeof event.channel !== 'string' || scopeOfSlackChannel(event.channel) === 'personal') return false;
      const botUserId = await identify().then(
        (ids) => ids.botUserId,
        () => undefined,
      );
      return !options.threads || !(await concernsFollowedThread(options.threads, event, botUserId, log));
    },
  });

  // The bot's own ids (auth.test), asked once and again only after a failure. Bolt authorizes
  // each event before acknowledging it, so the answer is fetched ahead of the first event.
  let identity: Promise<{ botUserId?: string; botId?: string }> | undefined;
  const identify = () =>
    (identity ??= app.client.auth.test({ token: botToken }).then(
      (r) => ({ botUserId: r.user_id, botId: r.bot_id }),
      (err: unknown) => {
        identity = undefined;
        throw err;
      },
    ));
  const app: BoltApp = new BoltApp({
    receiver,
    logger: boltLogger(logger),
    clientOptions: { slackApiUrl: config.SLACK_API_URL },
    convoStore: false,
    authorize: async () => ({ botToken, ...(await identify()) }),
  });
  identify().catch((err) => log.warn({ err }, 'Slack auth.test failed; retrying on the first Slack request'));
  // A failed listener rejects processEvent, so the receiver releases the event for Slack's retry (and logs it).
  app.error(async (err) => {
    throw err;
  });

  const delivery = new SlackDelivery(storage, localizer, log, options.attachmentFiles);
  /** A file shared with the message (a CSV for `cohort enrol`), fetched only if the route reads it. */
  const uploadOf = (files: unknown[] | undefined): Pick<TurnInput, 'upload'> => {
    const upload = slackUpload(files, { token: botToken, apiUrl: config.SLACK_API_URL, logger: log });
    return upload ? { upload } : {};
  };

  /** Runs a turn and posts its replies; a learner's first turn asks Slack for their locale. */
  const run = async (client: webApi.WebClient, input: Omit<TurnInput, 'channelId'>, target: SlackTarget, pressed?: { channel: string; ts: string }) => {
    const turn: TurnInput = { ...input, channelId: SLACK_CHANNEL_ID, locale: await localeOfNewLearner(client, input.userId) };
    const result = await coach.handle(turn);
    let replies = result.replies;
    const { personal, shared } = splitPersonal(replies);
    if (input.scope !== 'personal' && personal.length) {
      // The learner's own things go to their DM with the bot (posting to a user id opens it); the channel gets a pointer.
      const sent = await delivery.send(client, input.userId, { channel: input.userId }, personal, result.lang).then(
        () => true,
        (err: unknown) => {
          log.warn({ err }, 'could not send personal replies to the Slack DM');
          return false;
        },
      );
      replies = [...shared, personalPointer(localizer, result.lang, sent)];
    }
    if (replies.length) await delivery.send(client, input.userId, target, replies, result.lang, pressed);
  };

  const localeOfNewLearner = async (client: webApi.WebClient, userId: string): Promise<string | undefined> => {
    if (await coach.readLearner(SLACK_CHANNEL_ID, userId)) return undefined;
    try {
      return (await client.users.info({ user: userId, include_locale: true })).user?.locale;
    } catch (err) {
      log.debug({ err }, 'users.info failed; using the default language');
      return undefined;
    }
  };

  app.event('message', async ({ event, body, client, context }) => {
    const channel = (event as { channel?: unknown }).channel;
    // Channel messages are never answered here (app_mention does that): a discussion reply or nothing.
    if (typeof channel === 'string' && scopeOfSlackChannel(channel) !== 'personal') {
      if (options.threads) await takeSlackChannelMessage(options.threads, event, context.botUserId, slackTeamOf(body), log);
      return;
    }
    const parsed = messageEventSchema.safeParse(event);
    // Only a person's own new message in a DM with the bot (with files: file_share); edits, joins and bot posts have a subtype or bot_id.
    if (!parsed.success || parsed.data.channel_type !== 'im' || (parsed.data.subtype && parsed.data.subtype !== 'file_share') || parsed.data.bot_id) return;
    const e = parsed.data;
    await run(
      client,
      { userId: e.user, tenantId: slackTeamOf(body), conversationId: e.channel, scope: 'personal', activityId: eventId(body), text: plainTextOf(e.text), ...uploadOf(e.files) },
      { channel: e.channel, threadTs: e.thread_ts },
    );
  });

  app.event('app_mention', async ({ event, body, client, context }) => {
    const parsed = appMentionEventSchema.safeParse(event);
    if (!parsed.success) return;
    const e = parsed.data;
    await run(
      client,
      {
        userId: e.user,
        tenantId: slackTeamOf(body),
        conversationId: e.channel,
        threadId: e.thread_ts ?? e.ts,
        scope: scopeOfSlackChannel(e.channel),
        activityId: eventId(body),
        text: plainTextOf(stripMention(e.text, context.botUserId)),
        ...uploadOf(e.files),
      },
      // Answer in a thread under the mention so channels stay readable.
      { channel: e.channel, threadTs: e.thread_ts ?? e.ts },
    );
  });

  app.action({ type: 'block_actions' }, async ({ ack, body, client }) => {
    await ack();
    const parsed = blockActionsSchema.safeParse(body);
    if (!parsed.success) return;
    const b = parsed.data;
    const result = actionFromSlackPayload(body);
    if (result.kind === 'ignored') return;
    const channel = b.channel?.id ?? b.container?.channel_id;
    if (result.kind === 'no-selection') {
      if (!channel) return;
      const t = localizer.forLanguage(coach.languageFor(await coach.readLearner(SLACK_CHANNEL_ID, b.user.id)));
      await client.chat.postEphemeral({ channel, user: b.user.id, text: t('slack:choices.noneSelected') });
      return;
    }
    const messageTs = b.container?.message_ts ?? b.message?.ts;
    const pressed = channel && messageTs ? { channel, ts: messageTs } : undefined;
    // Buttons on the App Home tab have no conversation: answer in the learner's DM with the bot.
    const target: SlackTarget = channel ? { channel, threadTs: b.container?.thread_ts ?? b.message?.thread_ts } : { channel: b.user.id };
    const actionTs = b.actions[0].action_ts;
    await run(
      client,
      {
        userId: b.user.id,
        tenantId: slackTeamOf(body),
        conversationId: channel ?? b.user.id,
        scope: scopeOfSlackChannel(channel),
        activityId: actionTs ? `action:${actionTs}` : undefined,
        action: result.action,
      },
      target,
      pressed,
    );
  });

  app.command('/course', async ({ ack, body, client }) => {
    const parsed = slashCommandSchema.safeParse(body);
    if (!parsed.success) return void (await ack());
    const c = parsed.data;
    const inDirectMessage = c.channel_id.startsWith('D');
    if (inDirectMessage) await ack();
    else {
      // Progress is personal: the answer goes to the learner's DM with the bot, and the channel gets a private note.
      const t = localizer.forLanguage(coach.languageFor(await coach.readLearner(SLACK_CHANNEL_ID, c.user_id)));
      await ack({ response_type: 'ephemeral', text: t('slack:command.answeredInDm') });
    }
    const text = plainTextOf(c.text).trim();
    const input: Omit<TurnInput, 'channelId'> = {
      userId: c.user_id,
      tenantId: slackTeamOf(body),
      conversationId: c.user_id,
      scope: 'personal',
      activityId: c.trigger_id ? `command:${c.trigger_id}` : undefined,
      ...(text ? { text } : { action: { command: coach.registry.get('start') ? 'start' : 'help' } }),
    };
    await run(client, input, { channel: c.user_id });
  });

  app.event('app_home_opened', async ({ event, client }) => {
    const parsed = appHomeOpenedEventSchema.safeParse(event);
    if (!parsed.success || (parsed.data.tab && parsed.data.tab !== 'home')) return;
    const userId = parsed.data.user;
    const command = coach.registry.get('progress') ? 'progress' : 'help';
    // A preview saves nothing: opening Home must not change the learner's record.
    const result = await coach.preview({ channelId: SLACK_CHANNEL_ID, userId, conversationId: userId, scope: 'personal', action: { command } });
    const view = homeView(result.replies, localizer.forLanguage(result.lang));
    await client.views.publish({ user_id: userId, view: view as webApi.ViewsPublishArguments['view'] });
  });

  return app;
}

function eventId(body: unknown): string | undefined {
  const id = (body as { event_id?: unknown }).event_id;
  return typeof id === 'string' ? id : undefined;
}

/** Removes the bot's own <@U123> mention (or, when its id is not known yet, a leading one). */
export function stripMention(text: string, botUserId?: string): string {
  const stripped = text.replace(MENTION, (mention: string, id: string, offset: number) => ((botUserId ? id === botUserId : offset === text.length - text.trimStart().length) ? ' ' : mention));
  return stripped.replace(/\s+/g, ' ').trim();
}

/** "<@U123>" or "<@U123|name>"; the id is compared in code, never spliced into a pattern. */
const MENTION = /<@([A-Z0-9]+)(?:\|[^<>]*)?>/g;

/** The workspace of an event, interaction or slash command (team_id, or team.id in interactions), for per-workspace limits. */
function slackTeamOf(body: unknown): string | undefined {
  const b = body as { team_id?: unknown; team?: { id?: unknown } | null } | undefined;
  if (typeof b?.team_id === 'string') return b.team_id;
  return typeof b?.team?.id === 'string' ? b.team.id : undefined;
}
