import type { Language } from '../../../config/config-schema';
import type { Translate } from '../../../i18n/i18n';
import type { ReplyItem } from '../../../intents/reply';
import type { Cohort } from '../../cohorts/cohort-model';
import { formatDate } from '../../cohorts/cohort-replies';
import type { Course } from '../../course/content-model';
import { literal } from '../../markdown-literal';
import type { ThreadStore } from './thread-store';

const THREADS_SHOWN = 10;

/**
 * The cohort channel's followed discussions for the facilitator's `report`, newest first: how
 * many replies from how many people, and the themes of the last summary (counts only, no quotes).
 */
export async function threadReportItems(store: ThreadStore, cohort: Cohort, course: Course, t: Translate, lang: Language): Promise<ReplyItem[]> {
  const threads = (await store.ofConversation(cohort.channelId, cohort.conversationId)).slice(0, THREADS_SHOWN);
  if (!threads.length) return [];
  const items: ReplyItem[] = [{ title: t('facilitation:threads.report.title') }];
  for (const thread of threads) {
    const replies = await store.replies(thread.id);
    const module = course.modules.find((m) => m.id === thread.moduleId);
    const summary = thread.lastSummary;
    items.push({
      title: t('facilitation:discussion.title', { order: module?.order ?? '?', title: module?.title ?? thread.moduleId }),
      badge: String(replies.length),
      text: [
        t('facilitation:threads.report.item', { date: formatDate(thread.postedAt.slice(0, 10), lang), count: replies.length, people: new Set(replies.map((r) => r.authorKey)).size }),
        summary ? t('facilitation:threads.report.themes', { themes: summary.themes.map((x) => `${literal(x.name)} (${x.count})`).join(' · ') }) : t('facilitation:threads.report.none'),
      ].join('\n\n'),
    });
  }
  return items;
}
