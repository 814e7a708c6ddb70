import type { Activity, CloudAdapter } from 'botbuilder';
import type { Reply } from '../../core/reply';
import type { Localizer } from '../../i18n/i18n';
import type { Logger } from '../../logging/logger';
import type { ChannelPostPort, ChannelPostResult } from '../../ports/channel-posts';
import type { ActivityRendererRegistry } from './activity-renderer';
import { conversationReferenceKey, type ConversationReferenceStore } from './conversation-references';
import { parseRetryAfter } from './proactive-sender';

interface ConnectorError {
  statusCode?: number;
  response?: { headers?: { get?(name: string): string | undefined } };
}

/**
 * Bot Framework side of the channel-post port (Teams channels and group chats): one attempt
 * through the stored conversation reference, returning the posted activity id. Retrying is
 * the caller's job (the job queue backs off and survives restarts); a 403/404 marks the
 * reference inactive so nothing else keeps trying it.
 */
export class BotFrameworkChannelPoster implements ChannelPostPort {
  constructor(
    private readonly options: {
      channelId: string;
      adapter: CloudAdapter;
      appId: string;
      references: ConversationReferenceStore;
      renderers: ActivityRendererRegistry;
      localizer: Localizer;
      logger: Logger;
    },
  ) {}

  async post(conversationId: string, replies: Reply[]): Promise<ChannelPostResult> {
    const { channelId, adapter, appId, references, renderers, localizer, logger } = this.options;
    const key = conversationReferenceKey(channelId, conversationId);
    const stored = await references.read(key);
    if (!stored) return { outcome: 'gone', reason: 'no-conversation' };
    if (!stored.active) return { outcome: 'gone', reason: stored.inactiveReason ?? 'inactive' };
    if (!replies.length) return { outcome: 'sent' };
    const activities = renderers.forChannel(channelId).render(replies, localizer.forLanguage(replies[0].lang));
    let messageId: string | undefined;
    let failure: unknown;
    try {
      // The adapter hands errors thrown in the callback to its onTurnError and resolves: keep ours.
      await adapter.continueConversationAsync(appId, stored.reference, async (context) => {
        try {
          for (const activity of activities) {
            const sent = await context.sendActivity(activity as Partial<Activity>);
            messageId ??= sent?.id;
          }
        } catch (err) {
          failure = err;
        }
      });
    } catch (err) {
      failure = err;
    }
    if (!failure) return { outcome: 'sent', ...(messageId ? { messageId } : {}) };
    const e = failure as ConnectorError;
    const status = e.statusCode;
    if (status === 403 || status === 404) {
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
