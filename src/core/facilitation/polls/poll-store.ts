import { createHash, randomBytes } from 'node:crypto';
import { CREATE_ONLY, StorageConflictError, type StoragePort } from '../../../ports/storage';
import type { Language } from '../../../config/config-schema';
import { channelConversationId } from '../../cohorts/cohort-model';

/** Fewest votes before an anonymous poll shows its results (POLL_MIN_VOTES never goes lower). */
export const POLL_MIN_VOTES_FLOOR = 3;
export const POLL_MIN_OPTIONS = 2;
export const POLL_MAX_OPTIONS = 10;

export const POLL_PREFIX = 'group-poll:';

export interface PollOption {
  id: string;
  label: string;
}

/**
 * A group poll as stored under `group-poll:<channel>:<conversation>:<id>`. It holds no voter id
 * and no learner key: a ballot is keyed by a hash of (the poll's random salt, the learner key),
 * which only stops double votes and lets a person change theirs. Closing the poll drops the
 * salt, so afterwards not even the stored hashes can be matched to anyone.
 */
export interface PollDocument {
  id: string;
  channelId: string;
  conversationId: string;
  /** `custom`: written by a facilitator; `confidence`: the module's fixed confidence poll. */
  kind: 'custom' | 'confidence';
  moduleId?: string;
  /** The facilitator's words (custom polls); confidence polls are worded by the locale. */
  question: string;
  options: PollOption[];
  multiple: boolean;
  anonymous: boolean;
  /** Results stay hidden until this many people voted (anonymous polls). */
  minVotes: number;
  lang: Language;
  createdAt: string;
  closesAt?: string;
  /** The time zone the closing time was given in, to show it back. */
  timeZone?: string;
  closedAt?: string;
  /** Random per poll; removed when the poll closes. */
  salt?: string;
  /** Ballot hash → chosen option ids. */
  ballots: Record<string, string[]>;
  /** Named (non-anonymous) polls only: ballot hash → the voter's display name. */
  names?: Record<string, string>;
}

export interface PollTally {
  voters: number;
  counts: Record<string, number>;
}

export interface VoteOutcome {
  poll: PollDocument;
  /** False when the poll was closed (or past its closing time) and nothing changed. */
  counted: boolean;
  /** True when this person had voted before and changed their vote. */
  changed: boolean;
}

const MAX_ATTEMPTS = 25;

export function pollKey(channelId: string, conversationId: string, id: string): string {
  return `${POLL_PREFIX}${channelId}:${channelConversationId(conversationId)}:${id}`;
}

export function pollsOfConversationPrefix(channelId: string, conversationId: string): string {
  return `${POLL_PREFIX}${channelId}:${channelConversationId(conversationId)}:`;
}

/** Key a poll card is remembered under, so `close poll` can update the card in place. */
export function pollCardKey(id: string): string {
  return `group-poll:${id}`;
}

/** A time-ordered id: the keys of a conversation's polls list oldest first. */
export function newPollId(now: Date): string {
  return `${now.getTime().toString(36).padStart(9, '0')}${randomBytes(3).toString('hex')}`;
}

export function ballotHash(salt: string, learnerKey: string): string {
  return createHash('sha256').update(salt).update('\u0000').update(learnerKey).digest('hex').slice(0, 32);
}

export function isClosed(poll: PollDocument, now: Date): boolean {
  return Boolean(poll.closedAt) || (poll.closesAt !== undefined && Date.parse(poll.closesAt) <= now.getTime());
}

export function tallyOf(poll: PollDocument): PollTally {
  const counts: Record<string, number> = Object.fromEntries(poll.options.map((o) => [o.id, 0]));
  let voters = 0;
  for (const choice of Object.values(poll.ballots)) {
    const valid = choice.filter((id) => id in counts);
    if (!valid.length) continue;
    voters++;
    for (const id of valid) counts[id]++;
  }
  return { voters, counts };
}

/** Ballots sorted by hash, so the stored order does not tell who voted when. */
function sortedBallots(ballots: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(ballots).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Group polls through the storage port. Every change reads the document, applies itself and
 * writes with the etag it read; on a conflict (another vote, another instance) it reads again,
 * so a vote racing another vote is never lost.
 */
export class PollStore {
  constructor(private readonly storage: StoragePort) {}

  async create(poll: Omit<PollDocument, 'salt' | 'ballots' | 'names'>): Promise<PollDocument> {
    const doc: PollDocument = { ...poll, conversationId: channelConversationId(poll.conversationId), salt: randomBytes(32).toString('hex'), ballots: {}, ...(poll.anonymous ? {} : { names: {} }) };
    await this.storage.write(pollKey(doc.channelId, doc.conversationId, doc.id), doc, { ifMatch: CREATE_ONLY });
    return doc;
  }

  async get(channelId: string, conversationId: string, id: string): Promise<PollDocument | undefined> {
    return (await this.storage.read<PollDocument>(pollKey(channelId, conversationId, id)))?.value;
  }

  /** The conversation's polls, newest first (at most `limit`). */
  async ofConversation(channelId: string, conversationId: string, limit = 50): Promise<PollDocument[]> {
    const keys = await this.storage.list(pollsOfConversationPrefix(channelId, conversationId), { limit: 1000 });
    const docs: PollDocument[] = [];
    for (const key of keys.reverse().slice(0, limit)) {
      const doc = (await this.storage.read<PollDocument>(key))?.value;
      if (doc) docs.push(doc);
    }
    return docs;
  }

  async vote(channelId: string, conversationId: string, id: string, learnerKey: string, choice: string[], now: Date, voterName?: string): Promise<VoteOutcome | undefined> {
    let changed = false;
    const result = await this.update(channelId, conversationId, id, (poll) => {
      if (isClosed(poll, now) || !poll.salt) return undefined;
      const hash = ballotHash(poll.salt, learnerKey);
      changed = hash in poll.ballots;
      const names = poll.anonymous ? undefined : { ...(poll.names ?? {}), [hash]: voterName ?? '' };
      return { ...poll, ballots: sortedBallots({ ...poll.ballots, [hash]: choice }), ...(names ? { names } : {}) };
    });
    if (!result) return undefined;
    return { poll: result.poll, counted: result.changed, changed: result.changed && changed };
  }

  /** The learner's own ballot in an open poll (closed polls cannot be matched to anyone any more). */
  static ballotOf(poll: PollDocument, learnerKey: string): string[] | undefined {
    return poll.salt ? poll.ballots[ballotHash(poll.salt, learnerKey)] : undefined;
  }

  /** Removes a learner's ballot (and name) from an open poll, for erasure on request; true when there was one. */
  async removeBallot(key: string, learnerKey: string): Promise<boolean> {
    const doc = (await this.storage.read<PollDocument>(key))?.value;
    if (!doc) return false;
    const result = await this.update(doc.channelId, doc.conversationId, doc.id, (poll) => {
      if (!PollStore.ballotOf(poll, learnerKey)) return undefined;
      const hash = ballotHash(poll.salt!, learnerKey);
      const { [hash]: _ballot, ...ballots } = poll.ballots;
      const { [hash]: _name, ...names } = poll.names ?? {};
      return { ...poll, ballots, ...(poll.names ? { names } : {}) };
    });
    return Boolean(result?.changed);
  }

  /** Closes the poll and forgets its salt; undefined when there is no such poll. */
  async close(channelId: string, conversationId: string, id: string, now: Date): Promise<PollDocument | undefined> {
    const result = await this.update(channelId, conversationId, id, (poll) => {
      if (poll.closedAt && !poll.salt) return undefined;
      const { salt: _forgotten, ...rest } = poll;
      return { ...rest, closedAt: poll.closedAt ?? (poll.closesAt && Date.parse(poll.closesAt) <= now.getTime() ? poll.closesAt : now.toISOString()) };
    });
    return result?.poll;
  }

  /** Applies `change` to the latest version; `undefined` from `change` leaves the poll as it is. */
  private async update(channelId: string, conversationId: string, id: string, change: (poll: PollDocument) => PollDocument | undefined): Promise<{ poll: PollDocument; changed: boolean } | undefined> {
    const key = pollKey(channelId, conversationId, id);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const doc = await this.storage.read<PollDocument>(key);
      if (!doc) return undefined;
      const next = change(doc.value);
      if (!next) return { poll: doc.value, changed: false };
      try {
        await this.storage.write(key, next, { ifMatch: doc.etag });
        return { poll: next, changed: true };
      } catch (err) {
        if (!(err instanceof StorageConflictError)) throw err;
        // Someone else changed the poll: back off a little (more each time) and apply again to the new version.
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5 * (attempt + 1))));
      }
    }
    throw new StorageConflictError(key);
  }
}
