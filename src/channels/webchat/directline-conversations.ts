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
  /** Approximate size (JSON bytes) of each kept activity, parallel to `activities`. */
  sizes: number[];
  /** Sum of `sizes`. */
  bytes: number;
  /** Turns of one conversation run one after another, in the order they were posted. */
  queue: Promise<void>;
}

export interface ConversationStoreLimits {
  maxConversations: number;
  maxActivitiesPerConversation: number;
  /** Transcript bytes kept per conversation: older activities go first. */
  maxBytesPerConversation: number;
  /** Transcript bytes kept in all: the least recently used conversations go first. */
  maxTotalBytes: number;
  idleMs: number;
}

/** Cards run to 10–15 KB, so 500 activities could be 6 MB: the byte caps bind first (1 MB each, 64 MB in all). */
export const DEFAULT_LIMITS: ConversationStoreLimits = {
  maxConversations: 1000,
  maxActivitiesPerConversation: 500,
  maxBytesPerConversation: 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
  idleMs: 2 * 60 * 60 * 1000,
};

/**
 * In-memory Direct Line conversations (the local web chat is one process; learner progress
 * itself is in the bot's storage, so losing these on restart only loses the transcript).
 */
export class DirectLineConversationStore {
  private readonly conversations = new Map<string, DirectLineConversation>();
  private totalBytes = 0;

  constructor(private readonly limits: ConversationStoreLimits = DEFAULT_LIMITS) {}

  /** Transcript bytes held now (for tests and metrics). */
  get bytes(): number {
    return this.totalBytes;
  }

  get size(): number {
    return this.conversations.size;
  }

  create(user: { userId: string; userName?: string; locale?: string }, now = Date.now(), id = newConversationId()): DirectLineConversation {
    this.evict(now);
    const conversation: DirectLineConversation = {
      id,
      instance: randomBytes(4).toString('hex'),
      ...user,
      started: false,
      lastUsed: now,
      base: 0,
      activities: [],
      sizes: [],
      bytes: 0,
      queue: Promise.resolve(),
    };
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
    const kept = { ...activity, id };
    const size = Buffer.byteLength(JSON.stringify(kept));
    conversation.activities.push(kept);
    conversation.sizes.push(size);
    conversation.bytes += size;
    if (this.conversations.get(conversation.id) === conversation) this.totalBytes += size;
    // The newest activity always stays, however large: the learner must see the reply to what they sent.
    while (conversation.activities.length > 1 && (conversation.activities.length > this.limits.maxActivitiesPerConversation || conversation.bytes > this.limits.maxBytesPerConversation)) {
      this.dropOldest(conversation);
    }
    if (this.totalBytes > this.limits.maxTotalBytes) this.evictForBytes(conversation);
    return id;
  }

  /** Activities after `watermark` (a previous response's watermark; empty for all). */
  since(conversation: DirectLineConversation, watermark: string | undefined): { activities: DirectLineActivity[]; watermark: string } {
    const from = Math.max(Number.parseInt(watermark ?? '', 10) || 0, conversation.base);
    return { activities: conversation.activities.slice(from - conversation.base), watermark: String(conversation.base + conversation.activities.length) };
  }

  private dropOldest(conversation: DirectLineConversation): void {
    conversation.activities.shift();
    const size = conversation.sizes.shift() ?? 0;
    conversation.bytes -= size;
    conversation.base += 1;
    if (this.conversations.get(conversation.id) === conversation) this.totalBytes -= size;
  }

  private remove(conversation: DirectLineConversation): void {
    if (this.conversations.delete(conversation.id)) this.totalBytes -= conversation.bytes;
  }

  private leastRecentlyUsed(except?: DirectLineConversation): DirectLineConversation | undefined {
    let oldest: DirectLineConversation | undefined;
    for (const c of this.conversations.values()) if (c !== except && (!oldest || c.lastUsed < oldest.lastUsed)) oldest = c;
    return oldest;
  }

  /** Over the total: whole idle-most conversations go, then the oldest activities of the current one. */
  private evictForBytes(current: DirectLineConversation): void {
    while (this.totalBytes > this.limits.maxTotalBytes) {
      const oldest = this.leastRecentlyUsed(current);
      if (oldest) this.remove(oldest);
      else if (current.activities.length > 1) this.dropOldest(current);
      else return;
    }
  }

  private evict(now: number): void {
    for (const c of [...this.conversations.values()]) if (now - c.lastUsed > this.limits.idleMs) this.remove(c);
    while (this.conversations.size >= this.limits.maxConversations) {
      const oldest = this.leastRecentlyUsed();
      if (!oldest) return;
      this.remove(oldest);
    }
  }
}

function newConversationId(): string {
  return `dl-${randomBytes(12).toString('base64url')}`;
}
