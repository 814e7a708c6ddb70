import type { Activity, TurnContext } from 'botbuilder';
import type { Reply } from '../../intents/reply';
import type { ChannelPostPort, ChannelPostResult } from '../../ports/channel-posts';
import { conversationReferenceKey } from './conversation-references';
import { channelConversationId } from '../../core/cohorts/cohort-model';
import { parseRetryAfter, type ChannelError, type ProactiveSenderOptions } from './proactive-sender';
import { continueAndSend } from './continue-and-send';

/**
 * Bot Framework side of the channel-post port (Teams channels and group chats): one attempt
 * through the stored conversation reference, returning the posted activity id. Retrying is
 * the caller's job (the job queue backs off and survives restarts); a 403/404 marks the
 * reference inactive so nothing else keeps trying it.
 */
export class BotFrameworkChannelPoster implements ChannelPostPort {
  /** The proactive sender's setup (same adapter, references and renderers), for one channel id. */
  constructor(private readonly options: Omit<ProactiveSenderOptions, 'retry' | 'sleep'> & { channelId: string }) {}

  post(conversationId: string, replies: Reply[]): Promise<ChannelPostResult> {
    return this.through(conversationId, replies);
  }

  /** Updates the remembered card in place (Teams keeps a keyed card's activity id per thread conversation). */
  async updateCard(conversationId: string, cardKey: string, replies: Reply[]): Promise<ChannelPostResult> {
    const activityId = await this.options.references.cardActivityId(this.options.channelId, conversationId, cardKey);
    if (!activityId) return { outcome: 'gone', reason: 'no-card' };
    return this.through(channelConversationId(conversationId), replies, activityId);
  }

  /** One attempt through the conversation's stored reference: new posts, or an update of message `updates`. */
  private async through(conversationId: string, replies: Reply[], updates?: string): Promise<ChannelPostResult> {
    const { channelId, adapter, appId, references, renderers, localizer, logger } = this.options;
    const key = conversationReferenceKey(channelId, conversationId);
    const stored = await references.read(key);
    if (!stored) return { outcome: 'gone', reason: 'no-conversation' };
    if (!stored.active) return { outcome: 'gone', reason: stored.inactiveReason ?? 'inactive' };
    if (!replies.length) return { outcome: 'sent' };
    const activities = renderers.forChannel(channelId).render(replies, localizer.forLanguage(replies[0].lang)) as Partial<Activity>[];
    const deliver = updates ? async (context: TurnContext, activity: Partial<Activity>) => (await context.updateActivity({ ...activity, id: updates })) ?? undefined : undefined;
    const { firstId: messageId, error: failure } = await continueAndSend(adapter, appId, stored.reference, activities, 0, deliver);
    if (!failure) return { outcome: 'sent', ...(messageId ? { messageId } : {}) };
    const e = failure as ChannelError;
    const status = e.statusCode;
    if (status === 403 || status === 404) {
      // A card that cannot be updated may simply have been deleted: the bot can still post here.
      if (updates) return { outcome: 'gone', status, reason: `http_${status}` };
      logger.warn({ status, conversation: conversationId }, 'channel post refused: the bot is no longer in the conversation');
      await references.markInactive(key, `http_${status}`).catch(() => undefined);
      return { outcome: 'gone', status, reason: `http_${status}` };
    }
    if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) {
      logger.error({ status, conversation: conversationId }, 'channel post rejected');
      return { outcome: 'gone', status, reason: `http_${status}` };
    }
    const header = e.response?.headers?.get?.('retry-after');
    const retryAfterMs = header === undefined ? undefined : parseRetryAfter(header);
    logger.warn({ status, retryAfterMs, conversation: conversationId }, 'channel post failed; it will be retried');
    return { outcome: 'retry', ...(status ? { status } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
}
