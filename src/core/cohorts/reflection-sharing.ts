import type { CohortChannelPort } from '../../ports/cohort-channels';
import type { StoragePort } from '../../ports/storage';
import { literal } from '../markdown-literal';
import { listAll } from '../privacy/personal-data';
import type { Turn } from '../turn';
import { COHORT_PREFIX, type Cohort } from './cohort-model';

/** What the course needs to offer "share with my cohort" after a reflection (see journey.ts). */
export interface ReflectionSharing {
  /** The name of the learner's cohort when it has a channel the bot can post to. */
  cohortName(turn: Turn): Promise<string | undefined>;
  /** Posts the reflection to the cohort's channel; true when it was delivered. */
  share(turn: Turn, module: { order: number; title: string }, text: string): Promise<boolean>;
}

/**
 * Sharing to the channel conversation a learner's cohort was created in: the cohort's own
 * discussion space. The post names the learner (as the channel knows them) and the module.
 */
export function cohortReflectionSharing(storage: StoragePort, channels: Record<string, CohortChannelPort>): ReflectionSharing {
  const cohortOf = async (turn: Turn): Promise<Cohort | undefined> => {
    const { channelId, userId } = turn.learner;
    if (!channels[channelId]) return undefined;
    let found: Cohort | undefined;
    for (const key of await listAll(storage, COHORT_PREFIX)) {
      const cohort = (await storage.read<Cohort>(key))?.value;
      // The newest cohort the learner is a member of.
      if (cohort?.channelId === channelId && cohort.members[userId] && (!found || cohort.createdAt > found.createdAt)) found = cohort;
    }
    return found;
  };
  return {
    cohortName: async (turn) => (await cohortOf(turn))?.name,
    share: async (turn, module, text) => {
      const cohort = await cohortOf(turn);
      const channel = cohort && channels[cohort.channelId];
      if (!cohort || !channel) return false;
      const name = turn.learner.name ? literal(turn.learner.name) : turn.t('course:reflection.aMember');
      const post = turn.reply({
        intent: 'reflection',
        title: turn.t('course:reflection.sharedPostTitle', { name, module: module.order, title: module.title }),
        text: literal(text),
      });
      const delivered = await channel.sendToConversation(cohort.conversationId, [post]).catch(() => ({ outcome: 'failed' as const }));
      return delivered.outcome === 'sent';
    },
  };
}
