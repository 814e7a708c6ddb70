import type { types, webApi } from '@slack/bolt';
import type { Reply } from '../../intents/reply';
import type { Localizer } from '../../i18n/i18n';
import type { Logger } from '../../logging/logger';
import type { ProactiveOutcome, ProactivePort } from '../../ports/proactive';
import { renderBlockKit } from '../../render/block-kit-renderer';

/** Slack Web API errors meaning the bot can no longer reach this person. */
const GONE = new Set(['channel_not_found', 'user_not_found', 'account_inactive', 'user_disabled', 'is_archived', 'not_in_channel', 'cannot_dm_bot', 'invalid_auth', 'token_revoked']);

/**
 * Proactive messages to native-Slack learners: chat.postMessage to the learner's user id
 * opens (or reuses) the bot's direct message with them. The Web API client already waits
 * out 429s (Retry-After); what it gives up on is reported as throttled.
 */
export class SlackProactiveSender implements ProactivePort {
  constructor(
    private readonly client: () => webApi.WebClient,
    private readonly localizer: Localizer,
    private readonly logger: Logger,
  ) {}

  async sendToLearner(learnerKey: string, replies: Reply[]): Promise<ProactiveOutcome> {
    const userId = learnerKey.split(':').pop();
    if (!userId || !replies.length) return replies.length ? 'no-conversation' : 'sent';
    const t = this.localizer.forLanguage(replies[0].lang);
    try {
      for (const reply of replies) {
        const message = renderBlockKit(reply, t);
        await this.client().chat.postMessage({ channel: userId, text: message.text, blocks: message.blocks as types.KnownBlock[] });
      }
      return 'sent';
    } catch (err) {
      const e = err as { code?: string; data?: { error?: string } };
      const slackError = e.data?.error;
      if (slackError && GONE.has(slackError)) return 'inactive';
      if (e.code === 'slack_webapi_rate_limited_error' || slackError === 'ratelimited') return 'throttled';
      this.logger.warn({ err, slackError }, 'Slack proactive message failed');
      return 'failed';
    }
  }
}
