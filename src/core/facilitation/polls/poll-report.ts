import type { Translate } from '../../../i18n/i18n';
import type { StoragePort } from '../../../ports/storage';
import type { Cohort } from '../../cohorts/cohort-model';
import type { Course } from '../../course/content-model';
import { literal } from '../../markdown-literal';
import type { ReplyItem } from '../../../intents/reply';
import { resultsVisible } from './poll-replies';
import { isClosed, PollStore, tallyOf } from './poll-store';

const POLLS_SHOWN = 10;

/**
 * The cohort channel's polls for the facilitator's `report`, newest first: each with its
 * votes and, once enough people voted, the share of each option (never who voted for what:
 * named polls list no names here either).
 */
export async function pollReportItems(storage: StoragePort, cohort: Cohort, course: Course, t: Translate, now: Date): Promise<ReplyItem[]> {
  const polls = await new PollStore(storage).ofConversation(cohort.channelId, cohort.conversationId, POLLS_SHOWN);
  if (!polls.length) return [];
  return [
    { title: t('facilitation:polls.report.title') },
    ...polls.map((poll): ReplyItem => {
      const tally = tallyOf(poll);
      const module = poll.moduleId ? course.modules.find((m) => m.id === poll.moduleId) : undefined;
      const title = poll.kind === 'confidence' ? t('facilitation:polls.report.confidence', { order: module?.order ?? '?', title: module?.title ?? poll.moduleId }) : literal(poll.question);
      const label = (id: string) => (poll.kind === 'confidence' ? t(`facilitation:poll.levels.${id}`) : literal(poll.options.find((o) => o.id === id)?.label ?? id));
      const results = resultsVisible(poll)
        ? poll.options.map((o) => `${label(o.id)}: ${t('facilitation:polls.percent', { percent: tally.voters ? Math.round((100 * (tally.counts[o.id] ?? 0)) / tally.voters) : 0 })}`).join(' · ')
        : t('facilitation:polls.report.hidden', { min: poll.minVotes });
      return {
        title,
        badge: t('facilitation:polls.report.votes', { count: tally.voters }),
        text: `${isClosed(poll, now) ? t('facilitation:polls.report.closed') : t('facilitation:polls.report.open')} · ${results}`,
      };
    }),
  ];
}
