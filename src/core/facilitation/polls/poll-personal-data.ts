import type { StoragePort } from '../../../ports/storage';
import { listAll, type PersonalDataSource } from '../../privacy/personal-data';
import { POLL_PREFIX, PollStore, type PollDocument } from './poll-store';

/**
 * A learner's own votes in open group polls, for `my data`: found only by recomputing the
 * ballot hash from the poll's salt and the learner key (nothing names the learner). Erasure
 * removes the ballot; closed polls have forgotten their salt and hold nothing linkable.
 */
export function groupPollVoteSource(storage: StoragePort): PersonalDataSource {
  const store = new PollStore(storage);
  const votesOf = async (learnerKey: string): Promise<{ key: string; poll: PollDocument; choice: string[] }[]> => {
    const found: { key: string; poll: PollDocument; choice: string[] }[] = [];
    for (const key of await listAll(storage, POLL_PREFIX)) {
      const poll = (await storage.read<PollDocument>(key))?.value;
      const choice = poll ? PollStore.ballotOf(poll, learnerKey) : undefined;
      if (poll && choice) found.push({ key, poll, choice });
    }
    return found;
  };
  return {
    name: 'groupPollVotes',
    labelKey: 'facilitation:polls.privacyLabel',
    export: async (subject) => {
      const votes = await votesOf(subject.learnerKey);
      return {
        count: votes.length,
        data: votes.map(({ poll, choice }) => ({
          poll: `${poll.channelId}:${poll.conversationId}:${poll.id}`,
          question: poll.kind === 'confidence' ? `confidence:${poll.moduleId}` : poll.question,
          choice: choice.map((id) => (poll.kind === 'confidence' ? id : (poll.options.find((o) => o.id === id)?.label ?? id))),
        })),
      };
    },
    erase: async (subject) => {
      let changed = 0;
      for (const { key } of await votesOf(subject.learnerKey)) if (await store.removeBallot(key, subject.learnerKey)) changed++;
      return changed;
    },
  };
}
