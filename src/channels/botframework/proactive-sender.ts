import type { CloudAdapter, ConversationReference, Activity } from 'botbuilder';
import type { Reply } from '../../intents/reply';
import type { Localizer } from '../../i18n/i18n';
import type { Logger } from '../../logging/logger';
import type { ProactiveOutcome, ProactivePort } from '../../ports/proactive';
import type { ActivityRendererRegistry } from './activity-renderer';
import { learnerReferenceKey, type ConversationReferenceStore } from './conversation-references';
import { continueAndSend } from './continue-and-send';

export interface ProactiveRetryPolicy {
  /** Our own attempts after the connector client's built-in retries gave up on a 429. */
  maxAttempts: number;
  /** Delay when the channel sends no Retry-After; doubled on each attempt. */
  baseDelayMs: number;
  /** Upper bound for any wait, whatever Retry-After says. */
  maxDelayMs: number;
}

export interface ProactiveSenderOptions {
  adapter: CloudAdapter;
  /** The bot's app id ('' when running without credentials on loopback). */
  appId: string;
  references: ConversationReferenceStore;
  renderers: ActivityRendererRegistry;
  localizer: Localizer;
  logger: Logger;
  retry?: Partial<ProactiveRetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_RETRY: ProactiveRetryPolicy = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 30000 };

/** What a failed connector call carries (status, and Retry-After on a 429). */
export interface ChannelError {
  statusCode?: number;
  code?: string;
  response?: { headers?: { get?(name: string): string | undefined } };
}

/**
 * Bot Framework implementation of the proactive port: sends to stored conversation references,
 * waits out 429s (Retry-After, bounded), and marks a reference inactive on 403/404 (the bot was
 * uninstalled or blocked) instead of retrying.
 */
export class BotFrameworkProactiveSender implements ProactivePort {
  private readonly retry: ProactiveRetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ProactiveSenderOptions) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async sendToLearner(learnerKey: string, replies: Reply[]): Promise<ProactiveOutcome> {
    return this.sendToStored(learnerReferenceKey(learnerKey), replies);
  }

  /** Sends to any stored reference key (a learner's chat or a group conversation). */
  async sendToStored(referenceKey: string, replies: Reply[]): Promise<ProactiveOutcome> {
    const stored = await this.options.references.read(referenceKey);
    if (!stored) return 'no-conversation';
    if (!stored.active) return 'inactive';
    const outcome = await this.sendToReference(stored.reference, replies);
    if (outcome.gone) await this.options.references.markInactive(referenceKey, `http_${outcome.status}`);
    return outcome.result;
  }

  /** Sends to a reference taken from a live activity (e.g. results that outlived a card action's budget). */
  async sendToReference(reference: Partial<ConversationReference>, replies: Reply[]): Promise<{ result: ProactiveOutcome; gone: boolean; status?: number }> {
    if (!replies.length) return { result: 'sent', gone: false };
    const { renderers, localizer, adapter, appId, logger } = this.options;
    const activities = renderers.forChannel(reference.channelId ?? '').render(replies, localizer.forLanguage(replies[0].lang));
    let next = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        // Resume after the last delivered activity so a retry never sends one twice.
        const sent = await continueAndSend(adapter, appId, reference, activities as Partial<Activity>[], next);
        next = sent.delivered;
        if (sent.error) throw sent.error;
        return { result: 'sent', gone: false };
      } catch (err) {
        const e = err as ChannelError;
        const status = e.statusCode;
        if (status === 403 || status === 404) {
          logger.warn({ status, code: e.code, conversation: reference.conversation?.id }, 'conversation is gone: marking reference inactive');
          return { result: 'inactive', gone: true, status };
        }
        if (status === 429 && attempt < this.retry.maxAttempts) {
          const wait = this.retryDelay(e, attempt);
          logger.info({ attempt, wait }, 'throttled by the channel: waiting before retrying');
          await this.sleep(wait);
          continue;
        }
        logger.error({ err, status, conversation: reference.conversation?.id }, 'proactive send failed');
        return { result: status === 429 ? 'throttled' : 'failed', gone: false, status };
      }
    }
  }

  private retryDelay(err: ChannelError, attempt: number): number {
    const header = err.response?.headers?.get?.('retry-after');
    const fromHeader = header === undefined ? undefined : parseRetryAfter(header);
    const delay = fromHeader ?? this.retry.baseDelayMs * 2 ** (attempt - 1);
    return Math.min(Math.max(delay, 0), this.retry.maxDelayMs);
  }
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: string, now = Date.now()): number | undefined {
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(date - now, 0);
}
