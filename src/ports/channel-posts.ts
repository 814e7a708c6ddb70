import type { Reply } from '../intents/reply';

/**
 * Posts to a group chat or channel the bot is in (scheduled discussion prompts), outside a
 * turn, and says what became of it. Each channel implements it at the edge with the
 * conversation reference stored when someone last wrote to the bot there.
 */
export type ChannelPostResult =
  /** Posted; `messageId` is the Teams activity id or the Slack message ts (a thread can be followed from it). */
  | { outcome: 'sent'; messageId?: string }
  /** Worth trying again later: throttled (429) or the channel failed (5xx, network); `retryAfterMs` from Retry-After. */
  | { outcome: 'retry'; status?: number; retryAfterMs?: number }
  /** Can never go: the bot was removed from the conversation (403/404), or it never was there. */
  | { outcome: 'gone'; status?: number; reason: string };

export interface ChannelPostPort {
  post(conversationId: string, replies: Reply[]): Promise<ChannelPostResult>;
  /**
   * Redraws a card posted earlier in the conversation (`conversationId` as the card was sent to:
   * in Teams the thread's id), found by the key the reply carried; a poll closing on time.
   */
  updateCard?(conversationId: string, cardKey: string, replies: Reply[]): Promise<ChannelPostResult>;
}
