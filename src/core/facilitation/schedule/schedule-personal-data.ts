import type { JobPort } from '../../../ports/jobs';
import type { PersonalDataSource } from '../../privacy/personal-data';
import { DISCUSSION_JOB } from './scheduled-prompt';

/**
 * The discussion prompts a facilitator scheduled name them (their learner key, to report a
 * failed post): exported with their data, and anonymised when they ask to be forgotten. The
 * prompts themselves belong to the channel and still go out; nobody is told if one fails.
 */
export function scheduledDiscussionsDataSource(jobs: JobPort): PersonalDataSource {
  return {
    name: 'scheduledDiscussions',
    labelKey: 'privacy:sections.scheduledDiscussions',
    export: async (subject) => {
      const mine = await jobs.withPayload(DISCUSSION_JOB, 'facilitatorKey', subject.learnerKey);
      if (!mine.length) return undefined;
      return {
        count: mine.length,
        data: mine.map((j) => ({ id: j.id, moduleId: j.payload.moduleId, runAt: j.runAt, state: j.state, channelId: j.payload.channelId, conversationId: j.payload.conversationId })),
      };
    },
    erase: async (subject) => {
      let changed = 0;
      for (const job of await jobs.withPayload(DISCUSSION_JOB, 'facilitatorKey', subject.learnerKey)) {
        if (await jobs.replacePayload(job.id, { ...job.payload, facilitatorKey: '' }, new Date())) changed++;
      }
      return changed;
    },
  };
}
