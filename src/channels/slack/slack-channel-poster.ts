import type { types, webApi } from '@slack/bolt';
import type { Reply } from '../../core/reply';
import type { Localizer } from '../../i18n/i18n';
import type { Logger } from '../../logging/logger';
import type { ChannelPostPort, ChannelPostResult } from '../../ports/channel-posts';
import { renderBlockKit } from '../../render/block-kit-renderer';

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
  ) {}

  async post(conversationId: string, replies: Reply[]): Promise<ChannelPostResult> {
    if (!replies.length) return { outcome: 'sent' };
    const t = this.localizer.forLanguage(replies[0].lang);
    let messageId: string | undefined;
    try {
      for (const reply of replies) {
        const message = renderBlockKit(reply, t);
        const posted = await this.client().chat.postMessage({ token: this.token, channel: conversationId, text: message.text, blocks: message.blocks as types.KnownBlock[] });
        messageId ??= posted.ts;
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
