import type { types, webApi } from '@slack/bolt';
import type { Reply } from '../../intents/reply';
import type { Localizer } from '../../i18n/i18n';
import type { Logger } from '../../logging/logger';
import type { ChannelPostPort, ChannelPostResult } from '../../ports/channel-posts';
import { renderBlockKit } from '../../render/block-kit-renderer';
import type { StoragePort } from '../../ports/storage';
import { channelCardLocation } from './slack-delivery';

/** Slack answers meaning the bot cannot post in this channel any more. */
const GONE = new Set(['channel_not_found', 'not_in_channel', 'is_archived', 'restricted_action', 'invalid_auth', 'token_revoked', 'account_inactive', 'missing_scope']);

/**
 * Native Slack side of the channel-post port: chat.postMessage to the channel, returning the
 * message ts (the thread's parent). The Web API client waits out short 429s itself; what it
 * gives up on comes back as "retry" with Retry-After.
 */
export class SlackChannelPoster implements ChannelPostPort {
  constructor(
    private readonly client: () => webApi.WebClient,
    private readonly token: string,
    private readonly localizer: Localizer,
    private readonly logger: Logger,
    /** Where keyed channel cards are remembered (SlackDelivery), for updateCard. */
    private readonly storage?: StoragePort,
  ) {}

  post(conversationId: string, replies: Reply[]): Promise<ChannelPostResult> {
    return this.send(
      conversationId,
      replies,
      async (message) => (await this.client().chat.postMessage({ token: this.token, channel: conversationId, text: message.text, blocks: message.blocks as types.KnownBlock[] })).ts,
    );
  }

  /** chat.update on the card remembered under `cardKey` in the channel. */
  async updateCard(conversationId: string, cardKey: string, replies: Reply[]): Promise<ChannelPostResult> {
    const at = this.storage ? await channelCardLocation(this.storage, conversationId, cardKey) : undefined;
    if (!at) return { outcome: 'gone', reason: 'no-card' };
    return this.send(
      conversationId,
      replies,
      async (message) => (await this.client().chat.update({ token: this.token, channel: at.channel, ts: at.ts, text: message.text, blocks: message.blocks as types.KnownBlock[] })).ts,
    );
  }

  private async send(conversationId: string, replies: Reply[], deliver: (message: ReturnType<typeof renderBlockKit>) => Promise<string | undefined>): Promise<ChannelPostResult> {
    if (!replies.length) return { outcome: 'sent' };
    const t = this.localizer.forLanguage(replies[0].lang);
    let messageId: string | undefined;
    try {
      for (const reply of replies) {
        const id = await deliver(renderBlockKit(reply, t));
        messageId ??= id;
      }
      return { outcome: 'sent', ...(messageId ? { messageId } : {}) };
    } catch (err) {
      const e = err as { code?: string; data?: { error?: string }; retryAfter?: number; statusCode?: number };
      if (e.code === 'slack_webapi_rate_limited_error') return { outcome: 'retry', status: 429, ...(typeof e.retryAfter === 'number' ? { retryAfterMs: e.retryAfter * 1000 } : {}) };
      const code = e.data?.error;
      if (code && GONE.has(code)) {
        this.logger.warn({ code, channel: conversationId }, 'Slack channel post refused: the bot cannot post there');
        return { outcome: 'gone', reason: code };
      }
      this.logger.warn({ err, code }, 'Slack channel post failed; it will be retried');
      return { outcome: 'retry', ...(e.statusCode ? { status: e.statusCode } : {}) };
    }
  }
}
