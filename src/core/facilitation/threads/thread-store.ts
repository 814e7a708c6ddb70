import { createHash, randomBytes } from 'node:crypto';
import type { Language } from '../../../config/config-schema';
import { CREATE_ONLY, StorageConflictError, type StoragePort } from '../../../ports/storage';
import { channelConversationId } from '../../cohorts/cohort-model';
import { listAll } from '../../privacy/personal-data';

export const THREAD_PREFIX = 'discussion-thread:';
export const REPLY_PREFIX = 'discussion-reply:';
/** Longest reply kept (a platform message can be longer; a summary quotes sentences, not essays). */
export const MAX_REPLY_CHARS = 4000;

/**
 * A discussion prompt the bot posted and follows: `discussion-thread:<channel>:<conversation>:<root>`,
 * where root is the thread's first message (Teams: the activity id after ";messageid=", Slack:
 * the thread ts). It names nobody: replies point to it, and their authors are hashed with its salt.
 */
export interface DiscussionThread {
  id: string;
  channelId: string;
  conversationId: string;
  rootId: string;
  moduleId: string;
  lang: Language;
  postedAt: string;
  /** Random per thread: author keys are hashes of (salt, learner key), unlinkable across threads. */
  salt: string;
  /** The last summary's themes and how many replies shared each, for the cohort report. */
  lastSummary?: { at: string; people: number; replies: number; themes: { name: string; count: number }[] };
}

/** One reply in a followed thread: `discussion-reply:<thread id>:<message id>`. */
export interface DiscussionReplyDocument {
  threadId: string;
  messageId: string;
  /** Hash of (thread salt, learner key): counts people and finds a person's replies for `my data`; never shown. */
  authorKey: string;
  at: string;
  editedAt?: string;
  text: string;
}

export function threadId(channelId: string, conversationId: string, rootId: string): string {
  return `${channelId}:${channelConversationId(conversationId)}:${rootId}`;
}

export function authorKeyOf(thread: DiscussionThread, learnerKey: string): string {
  return createHash('sha256').update(thread.salt).update('\u0000').update(learnerKey).digest('hex').slice(0, 32);
}

const replyKey = (thread: string, messageId: string) => `${REPLY_PREFIX}${thread}:${messageId}`;
const repliesPrefix = (thread: string) => `${REPLY_PREFIX}${thread}:`;

/**
 * Followed discussion threads and their replies through the storage port. Each reply is its
 * own document, so replies arriving together on several instances never contend; an edit
 * rewrites its document with the eTag it read.
 */
export class ThreadStore {
  constructor(private readonly storage: StoragePort) {}

  /** Starts following a thread; posting the same prompt again (a retried job) keeps the first record. */
  async open(thread: Omit<DiscussionThread, 'id' | 'salt'>): Promise<DiscussionThread> {
    const conversationId = channelConversationId(thread.conversationId);
    const doc: DiscussionThread = { ...thread, conversationId, id: threadId(thread.channelId, conversationId, thread.rootId), salt: randomBytes(32).toString('hex') };
    try {
      await this.storage.write(THREAD_PREFIX + doc.id, doc, { ifMatch: CREATE_ONLY });
      return doc;
    } catch (err) {
      if (!(err instanceof StorageConflictError)) throw err;
      return (await this.get(doc.id)) ?? doc;
    }
  }

  async get(id: string): Promise<DiscussionThread | undefined> {
    return (await this.storage.read<DiscussionThread>(THREAD_PREFIX + id))?.value;
  }

  /** The conversation's followed threads, newest post first. */
  async ofConversation(channelId: string, conversationId: string): Promise<DiscussionThread[]> {
    const threads: DiscussionThread[] = [];
    for (const key of await listAll(this.storage, `${THREAD_PREFIX}${channelId}:${channelConversationId(conversationId)}:`)) {
      const doc = (await this.storage.read<DiscussionThread>(key))?.value;
      if (doc) threads.push(doc);
    }
    return threads.sort((a, b) => (a.postedAt < b.postedAt ? 1 : a.postedAt > b.postedAt ? -1 : 0));
  }

  async all(): Promise<DiscussionThread[]> {
    const threads: DiscussionThread[] = [];
    for (const key of await listAll(this.storage, THREAD_PREFIX)) {
      const doc = (await this.storage.read<DiscussionThread>(key))?.value;
      if (doc) threads.push(doc);
    }
    return threads;
  }

  async replies(thread: string): Promise<DiscussionReplyDocument[]> {
    const out: DiscussionReplyDocument[] = [];
    for (const key of await listAll(this.storage, repliesPrefix(thread))) {
      const doc = (await this.storage.read<DiscussionReplyDocument>(key))?.value;
      if (doc) out.push(doc);
    }
    return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }

  /** Stores a reply, or its edited text (keeping when it was first written). */
  async put(thread: DiscussionThread, messageId: string, learnerKey: string, text: string, at: Date, edited: boolean): Promise<void> {
    const key = replyKey(thread.id, messageId);
    for (let attempt = 0; attempt < 10; attempt++) {
      const existing = await this.storage.read<DiscussionReplyDocument>(key);
      const doc: DiscussionReplyDocument = {
        threadId: thread.id,
        messageId,
        authorKey: authorKeyOf(thread, learnerKey),
        at: existing?.value.at ?? at.toISOString(),
        ...(edited || existing ? { editedAt: at.toISOString() } : {}),
        text: text.slice(0, MAX_REPLY_CHARS),
      };
      // A retried delivery of the same new message changes nothing.
      if (existing && !edited && existing.value.text === doc.text) return;
      try {
        await this.storage.write(key, doc, { ifMatch: existing?.etag ?? CREATE_ONLY });
        return;
      } catch (err) {
        if (!(err instanceof StorageConflictError)) throw err;
      }
    }
    throw new StorageConflictError(key);
  }

  async remove(thread: string, messageId: string): Promise<boolean> {
    return this.storage.delete(replyKey(thread, messageId));
  }

  /** A deleted message whose thread the platform does not name (a Teams delete in a group chat): found by its id. */
  async removeAnywhere(channelId: string, conversationId: string, messageId: string): Promise<boolean> {
    const suffix = `:${messageId}`;
    let removed = false;
    for (const key of await listAll(this.storage, `${REPLY_PREFIX}${channelId}:${channelConversationId(conversationId)}:`)) {
      if (key.endsWith(suffix) && (await this.storage.delete(key))) removed = true;
    }
    return removed;
  }

  async saveSummary(id: string, summary: NonNullable<DiscussionThread['lastSummary']>): Promise<void> {
    const doc = await this.storage.read<DiscussionThread>(THREAD_PREFIX + id);
    if (!doc) return;
    try {
      await this.storage.write(THREAD_PREFIX + id, { ...doc.value, lastSummary: summary }, { ifMatch: doc.etag });
    } catch (err) {
      // Another instance saved a summary of the same thread meanwhile: that one is as current.
      if (!(err instanceof StorageConflictError)) throw err;
    }
  }

  /** A person's replies in every followed thread (recomputing each thread's author hash). */
  async repliesOf(learnerKey: string): Promise<{ key: string; reply: DiscussionReplyDocument }[]> {
    const found: { key: string; reply: DiscussionReplyDocument }[] = [];
    for (const thread of await this.all()) {
      const author = authorKeyOf(thread, learnerKey);
      for (const key of await listAll(this.storage, repliesPrefix(thread.id))) {
        const reply = (await this.storage.read<DiscussionReplyDocument>(key))?.value;
        if (reply?.authorKey === author) found.push({ key, reply });
      }
    }
    return found;
  }

  /** Retention: deletes replies written before `cutoff`, and threads posted before it that have none left. */
  async purgeBefore(cutoff: Date): Promise<number> {
    const limit = cutoff.toISOString();
    let deleted = 0;
    for (const key of await listAll(this.storage, REPLY_PREFIX)) {
      const reply = (await this.storage.read<DiscussionReplyDocument>(key))?.value;
      if (reply && reply.at < limit && (await this.storage.delete(key))) deleted++;
    }
    for (const thread of await this.all()) {
      if (thread.postedAt < limit && !(await this.storage.list(repliesPrefix(thread.id), { limit: 1 })).length && (await this.storage.delete(THREAD_PREFIX + thread.id))) deleted++;
    }
    return deleted;
  }

  deleteKey(key: string): Promise<boolean> {
    return this.storage.delete(key);
  }
}
