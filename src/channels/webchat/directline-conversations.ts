import type { Language } from '../../config/config-schema';
import { randomBytes } from 'node:crypto';

/** An activity as the Direct Line client sees it (the Bot Framework activity shape). */
export type DirectLineActivity = Record<string, unknown> & { type: string; id?: string };

export interface DirectLineConversation {
  id: string;
  /**
   * Random per transcript: activity ids stay unique when a conversation id is reused after a
   * restart, so the coach's duplicate-activity check never drops a new message.
   */
  instance: string;
  userId: string;
  userName?: string;
  /** Browser locale, for the welcome sent before the learner types anything. */
  locale?: string;
  /** Set once the conversationUpdate (welcome) has been run. */
  started: boolean;
  /** The learner's language last announced to the page (a `govai-coach/language` event), so page and bot agree. */
  announcedLanguage?: Language;
  lastUsed: number;
  /** Watermark of activities[0]: older ones were dropped to bound memory. */
  base: number;
  activities: DirectLineActivity[];
  /** Turns of one conversation run one after another, in the order they were posted. */
  queue: Promise<void>;
}

export interface ConversationStoreLimits {
  maxConversations: number;
  maxActivitiesPerConversation: number;
  idleMs: number;
}

const DEFAULT_LIMITS: ConversationStoreLimits = { maxConversations: 1000, maxActivitiesPerConversation: 500, idleMs: 2 * 60 * 60 * 1000 };

/**
 * In-memory Direct Line conversations (the local web chat is one process; learner progress
 * itself is in the bot's storage, so losing these on restart only loses the transcript).
 */
export class DirectLineConversationStore {
  private readonly conversations = new Map<string, DirectLineConversation>();

  constructor(private readonly limits: ConversationStoreLimits = DEFAULT_LIMITS) {}

  create(user: { userId: string; userName?: string; locale?: string }, now = Date.now(), id = newConversationId()): DirectLineConversation {
    this.evict(now);
    const conversation: DirectLineConversation = { id, instance: randomBytes(4).toString('hex'), ...user, started: false, lastUsed: now, base: 0, activities: [], queue: Promise.resolve() };
    this.conversations.set(id, conversation);
    return conversation;
  }

  get(id: string, now = Date.now()): DirectLineConversation | undefined {
    const conversation = this.conversations.get(id);
    if (conversation) conversation.lastUsed = now;
    return conversation;
  }

  /** Appends an activity and gives it the next id; returns the id. */
  append(conversation: DirectLineConversation, activity: DirectLineActivity): string {
    const seq = conversation.base + conversation.activities.length;
    const id = `${conversation.id}|${conversation.instance}-${String(seq).padStart(7, '0')}`;
    conversation.activities.push({ ...activity, id });
    const excess = conversation.activities.length - this.limits.maxActivitiesPerConversation;
    if (excess > 0) {
      conversation.activities.splice(0, excess);
      conversation.base += excess;
    }
    return id;
  }

  /** Activities after `watermark` (a previous response's watermark; empty for all). */
  since(conversation: DirectLineConversation, watermark: string | undefined): { activities: DirectLineActivity[]; watermark: string } {
    const from = Math.max(Number.parseInt(watermark ?? '', 10) || 0, conversation.base);
    return { activities: conversation.activities.slice(from - conversation.base), watermark: String(conversation.base + conversation.activities.length) };
  }

  private evict(now: number): void {
    for (const [id, c] of this.conversations) if (now - c.lastUsed > this.limits.idleMs) this.conversations.delete(id);
    while (this.conversations.size >= this.limits.maxConversations) {
      const oldest = [...this.conversations.values()].reduce((a, b) => (a.lastUsed <= b.lastUsed ? a : b));
      this.conversations.delete(oldest.id);
    }
  }
}

function newConversationId(): string {
  return `dl-${randomBytes(12).toString('base64url')}`;
}
