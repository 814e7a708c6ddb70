import type { Language } from '../config/config-schema';
import type { Action } from '../intents/reply';

/**
 * Everything stored for one learner (keyed by channel and user id). Features keep their
 * own slice under `data` so the core does not need to know their shapes.
 */
export interface LearnerRecord {
  key: string;
  channelId: string;
  userId: string;
  name?: string;
  /** Explicit language choice; when unset the channel's locale decides. */
  language?: Language;
  timezone?: string;
  createdAt: string;
  updatedAt: string;
  /** Last activity ids handled, so channel retries of the same activity are not processed twice. */
  recentActivityIds: string[];
  /** Choices offered in the last reply, so a learner can type "2" instead of pressing a button. */
  pendingActions: Action[];
  data: Record<string, unknown>;
}

export const RECENT_ACTIVITY_LIMIT = 100;

export function learnerKey(channelId: string, userId: string): string {
  return `learner:${channelId}:${userId}`;
}

export function newLearnerRecord(channelId: string, userId: string, now: Date): LearnerRecord {
  const iso = now.toISOString();
  return {
    key: learnerKey(channelId, userId),
    channelId,
    userId,
    createdAt: iso,
    updatedAt: iso,
    recentActivityIds: [],
    pendingActions: [],
    data: {},
  };
}
