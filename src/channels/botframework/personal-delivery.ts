import type { Activity, CloudAdapter, ConversationParameters, TurnContext } from 'botbuilder';
import type { Reply } from '../../intents/reply';
import type { Localizer } from '../../i18n/i18n';
import type { Logger } from '../../logging/logger';
import type { ActivityRendererRegistry } from './activity-renderer';
import type { ConversationReferenceStore } from './conversation-references';
import { personalPointer, splitPersonal } from '../personal-pointer';
import { scopeOf } from './activity-to-turn';

/**
 * No audience: the connector factory then uses the configured cloud's own scope (public or
 * government). The type says string, the implementation treats undefined as "default".
 */
const CLOUD_DEFAULT_AUDIENCE = undefined as unknown as string;

export interface PersonalDeliveryOptions {
  adapter: CloudAdapter;
  /** The bot's app id ('' when running without credentials on loopback). */
  appId: string;
  renderers: ActivityRendererRegistry;
  localizer: Localizer;
  logger: Logger;
  /** Where the opened one-to-one chat is kept as the learner's personal chat (for reminders). */
  references: ConversationReferenceStore;
}

/**
 * Keeps a learner's own things (progress, quizzes, reviews, certificates, reminders: replies the
 * core marks `personal`) out of group chats and channels: they go to the learner's one-to-one
 * chat with the bot, and the conversation gets a short pointer instead. Returns the replies that
 * stay in the conversation.
 */
export type PersonalReplyRouter = (context: TurnContext, replies: Reply[]) => Promise<Reply[]>;

export function createPersonalReplyRouter(options: PersonalDeliveryOptions): PersonalReplyRouter {
  return async (context, replies) => {
    const { personal, shared } = splitPersonal(replies);
    if (!personal.length || scopeOf(context.activity) === 'personal') return replies;
    const sent = await sendOneToOne(options, context.activity, personal);
    return [...shared, personalPointer(options.localizer, personal[0].lang, sent)];
  };
}

/**
 * Opens (or reopens: the channel returns the existing one) the person's one-to-one conversation
 * and sends the replies there. Teams needs the tenant id to create it.
 */
async function sendOneToOne(options: PersonalDeliveryOptions, activity: Activity, replies: Reply[]): Promise<boolean> {
  const { adapter, appId, renderers, localizer, logger, references } = options;
  const tenantId = activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  const parameters = {
    isGroup: false,
    bot: activity.recipient,
    members: [activity.from],
    ...(tenantId ? { tenantId, channelData: { tenant: { id: tenantId } } } : {}),
  } as ConversationParameters;
  const activities = renderers.forChannel(activity.channelId).render(replies, localizer.forLanguage(replies[0].lang));
  // The adapter hands errors thrown inside the callback to onTurnError and resolves: keep ours.
  let sendError: unknown;
  try {
    await adapter.createConversationAsync(appId, activity.channelId, activity.serviceUrl, CLOUD_DEFAULT_AUDIENCE, parameters, async (context) => {
      // botbuilder gives the created conversation's event the conversation id as activity id, which would
      // make every send a reply to it (a thread reply to nothing on Slack): post to the conversation instead.
      context.activity.id = undefined;
      try {
        for (const a of activities) await context.sendActivity(a);
        // Delivered, so the chat works: keep it. Failing to keep it must not read as a failed delivery.
        await references.rememberOpened(activity, context.activity.conversation).catch((err) => logger.warn({ err }, 'could not store the opened one-to-one conversation'));
      } catch (err) {
        sendError = err;
      }
    });
  } catch (err) {
    sendError = err;
  }
  if (sendError) logger.warn({ err: sendError, channelId: activity.channelId }, 'could not send personal replies to the one-to-one chat');
  return !sendError;
}
