import type { Language } from '../../../config/config-schema';
import type { MetricsPort } from '../../../ports/metrics';
import { firstRefusal, type RateLimitPort } from '../../../ports/rate-limits';
import type { StoragePort } from '../../../ports/storage';
import { learnerKey } from '../../learner';
import type { PersonalDataSource } from '../../privacy/personal-data';
import type { RetentionTask } from '../../privacy/retention-job';
import { ThreadStore, threadId, type DiscussionThread } from './thread-store';

/** A message seen in a group conversation without an @mention of the bot, as the channel edge reports it. */
export interface ThreadMessage {
  channelId: string;
  /** The channel or chat (a Teams ";messageid=" suffix is dropped). */
  conversationId: string;
  /** The thread it is in (Teams: after ";messageid=", Slack: thread_ts), when the platform names one. */
  rootId?: string;
  /** The message it answers (Teams replyToId), when the platform names one. */
  replyToId?: string;
  messageId: string;
  userId: string;
  /** The organisation (Teams tenant, Slack team), for the per-tenant limit. */
  tenantId?: string;
  text: string;
  at: Date;
}

/** DISCUSSION_OPT_OUT_MARKER's default. */
export const DEFAULT_OPT_OUT_MARKER = '#private';

/** Longest reply kept: a summary quotes a few short sentences, and a flood of long posts must not fill the storage. */
export const MAX_STORED_REPLY_CHARS = 4000;

/** refused: a new reply over the author's or the tenant's turn limit, not recorded. */
export type ThreadMessageOutcome = 'stored' | 'opted-out' | 'ignored' | 'refused';

/**
 * What the bot keeps of the discussions it prompts: replies in the thread of a prompt it posted
 * (nothing else: any other message is not stored and not answered), their edits and deletions,
 * minus replies that start with the opt-out marker. Replies are personal data: exported and
 * erased with `my data`, and purged after RETENTION_DISCUSSION_REPLIES_DAYS.
 */
export class DiscussionThreads {
  readonly store: ThreadStore;

  constructor(
    storage: StoragePort,
    /** DISCUSSION_OPT_OUT_MARKER: a reply starting with it stays out of the summary. */
    readonly optOutMarker: string,
    /** The coach's turn limits: messages without an @mention skip the coach, so a flood of replies is limited here. */
    private readonly limited?: { limits: RateLimitPort; metrics: MetricsPort },
  ) {
    this.store = new ThreadStore(storage);
  }

  /** Starts following the thread of a posted prompt. */
  follow(prompt: { channelId: string; conversationId: string; rootId: string; moduleId: string; lang: Language; postedAt: Date }): Promise<DiscussionThread> {
    return this.store.open({ ...prompt, postedAt: prompt.postedAt.toISOString() });
  }

  /** The followed thread a message belongs to, if any. */
  async threadOf(m: Pick<ThreadMessage, 'channelId' | 'conversationId' | 'rootId' | 'replyToId'>): Promise<DiscussionThread | undefined> {
    for (const root of [m.rootId, m.replyToId]) {
      const thread = root ? await this.store.get(threadId(m.channelId, m.conversationId, root)) : undefined;
      if (thread) return thread;
    }
    return undefined;
  }

  /** A new message: stored when it replies to a followed prompt and does not opt out. */
  received(m: ThreadMessage): Promise<ThreadMessageOutcome> {
    return this.apply(m, false);
  }

  /** An edited message: its stored text changes; an edit that adds the opt-out marker removes it. */
  edited(m: ThreadMessage): Promise<ThreadMessageOutcome> {
    return this.apply(m, true);
  }

  /** A deleted message: its reply is removed wherever it is stored. */
  async deleted(m: Pick<ThreadMessage, 'channelId' | 'conversationId' | 'rootId' | 'replyToId' | 'messageId'>): Promise<boolean> {
    const thread = await this.threadOf(m);
    if (thread) return this.store.remove(thread.id, m.messageId);
    return this.store.removeAnywhere(m.channelId, m.conversationId, m.messageId);
  }

  optsOut(text: string): boolean {
    const marker = this.optOutMarker.trim().toLowerCase();
    return marker.length > 0 && text.trim().toLowerCase().startsWith(marker);
  }

  private async apply(m: ThreadMessage, edited: boolean): Promise<ThreadMessageOutcome> {
    // The prompt itself is the thread's root, not a reply.
    if (m.messageId === m.rootId) return 'ignored';
    const thread = await this.threadOf(m);
    if (!thread) return 'ignored';
    const text = m.text.trim().slice(0, MAX_STORED_REPLY_CHARS);
    // An edit that empties a reply or adds the marker takes it back; a new one is simply not kept.
    if (!text || this.optsOut(text)) {
      if (edited) await this.store.remove(thread.id, m.messageId);
      return text ? 'opted-out' : 'ignored';
    }
    // Edits rewrite a stored reply; only new ones could fill the storage.
    if (!edited && (await this.refused(m))) return 'refused';
    await this.store.put(thread, m.messageId, learnerKey(m.channelId, m.userId), text, m.at, edited);
    return 'stored';
  }

  private async refused(m: ThreadMessage): Promise<boolean> {
    if (!this.limited) return false;
    const refusal = await firstRefusal(this.limited.limits, [
      ['turns.learner', learnerKey(m.channelId, m.userId)],
      ['turns.tenant', m.tenantId && `${m.channelId}:${m.tenantId}`],
    ]);
    if (refusal) this.limited.metrics.rateLimited(m.channelId);
    return refusal !== undefined;
  }

  /** The learner's replies for `my data`: found by recomputing each thread's author hash. */
  personalDataSource(): PersonalDataSource {
    return {
      name: 'discussionReplies',
      labelKey: 'facilitation:threads.privacyLabel',
      export: async (subject) => {
        const mine = await this.store.repliesOf(subject.learnerKey);
        return { count: mine.length, data: mine.map(({ reply }) => ({ discussion: reply.threadId, at: reply.at, ...(reply.editedAt ? { editedAt: reply.editedAt } : {}), text: reply.text })) };
      },
      erase: async (subject) => {
        let deleted = 0;
        for (const { key } of await this.store.repliesOf(subject.learnerKey)) if (await this.store.deleteKey(key)) deleted++;
        return deleted;
      },
    };
  }

  retentionTask(): RetentionTask {
    return { name: 'discussionReplies', period: 'discussionRepliesDays', purge: (cutoff) => this.store.purgeBefore(cutoff) };
  }
}
