import { CREATE_ONLY, StorageConflictError, type StoragePort } from '../../ports/storage';

/** Answers of the quick confidence poll, from 1 (not yet) to 4 (very confident). */
export const POLL_LEVELS = ['1', '2', '3', '4'] as const;
export type PollLevel = (typeof POLL_LEVELS)[number];

interface PollDocument {
  /** One vote per learner key, so pressing again changes a vote instead of adding one. */
  votes: Record<string, PollLevel>;
}

export interface PollTally {
  total: number;
  counts: Record<PollLevel, number>;
}

/**
 * An anonymous confidence poll per conversation and module, shared by everyone in a group
 * chat or channel. Stored through the storage port with optimistic concurrency, so several
 * instances can record votes at once.
 */
export class ConfidencePolls {
  constructor(private readonly storage: StoragePort) {}

  private key(channelId: string, conversationId: string, moduleId: string): string {
    return `poll:${channelId}:${conversationId}:${moduleId}`;
  }

  async vote(channelId: string, conversationId: string, moduleId: string, voter: string, level: PollLevel): Promise<PollTally> {
    const key = this.key(channelId, conversationId, moduleId);
    for (let attempt = 0; attempt < 8; attempt++) {
      const doc = await this.storage.read<PollDocument>(key);
      const value: PollDocument = { votes: { ...(doc?.value.votes ?? {}), [voter]: level } };
      try {
        await this.storage.write(key, value, { ifMatch: doc?.etag ?? CREATE_ONLY });
        return tally(value);
      } catch (err) {
        if (!(err instanceof StorageConflictError)) throw err;
      }
    }
    throw new StorageConflictError(key);
  }

  async results(channelId: string, conversationId: string, moduleId: string): Promise<PollTally> {
    const doc = await this.storage.read<PollDocument>(this.key(channelId, conversationId, moduleId));
    return tally(doc?.value ?? { votes: {} });
  }
}

function tally(doc: PollDocument): PollTally {
  const counts = Object.fromEntries(POLL_LEVELS.map((l) => [l, 0])) as Record<PollLevel, number>;
  for (const level of Object.values(doc.votes)) if (level in counts) counts[level]++;
  return { total: Object.values(counts).reduce((a, b) => a + b, 0), counts };
}
