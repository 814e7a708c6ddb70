import type { Language } from '../../config/config-schema';
import type { Translate } from '../../i18n/i18n';
import type { StoragePort } from '../../ports/storage';
import type { Course } from '../course/content-model';
import { certificateEligible, progressOf } from '../course/progress-state';
import { learnerKey, type LearnerRecord } from '../learner';
import type { ReplyItem } from '../../intents/reply';
import type { Cohort, CohortMember } from './cohort-model';
import { localDate, modulesExpectedDone } from './cohort-plan';
import { nudgeKey, type NudgeDocument } from './pacing-nudges';
import { literal } from '../markdown-literal';
import { formatDate } from './cohort-replies';

/** What the facilitator may see of one member: completion, not answers. */
export interface MemberStanding {
  member: CohortMember;
  modulesDone: string[];
  moduleScores: Record<string, number>;
  finalPassed: boolean;
  certificateId?: string;
  finished: boolean;
  behind: boolean;
  lastActive?: string;
  /** Pacing nudges stopped because several were ignored. */
  nudgesStopped: boolean;
}

export async function memberStandings(storage: StoragePort, cohort: Cohort, course: Course, now: Date): Promise<MemberStanding[]> {
  const expected = modulesExpectedDone(course, cohort.plan, cohort.dueDate, localDate(now, cohort.timeZone));
  const members = Object.values(cohort.members).sort((a, b) => (a.name ?? a.userId).localeCompare(b.name ?? b.userId));
  return Promise.all(
    members.map(async (member) => {
      const learner = (await storage.read<LearnerRecord>(learnerKey(cohort.channelId, member.userId)))?.value;
      const progress = progressOf(learner?.data ?? {});
      const modulesDone = course.modules.filter((m) => progress.modulesDone[m.id]).map((m) => m.id);
      const moduleScores: Record<string, number> = {};
      for (const m of course.modules) {
        const score = progress.quizScores[m.id];
        if (score) moduleScores[m.id] = score.score;
      }
      const finished = certificateEligible(progress, course);
      return {
        member,
        modulesDone,
        moduleScores,
        finalPassed: Boolean(progress.finalPassedAt),
        certificateId: progress.certificateId,
        finished,
        behind: !finished && expected.some((id) => !progress.modulesDone[id]),
        lastActive: learner?.updatedAt,
        nudgesStopped: (await storage.read<NudgeDocument>(nudgeKey(cohort.id, member.userId)))?.value.stopped === true,
      };
    }),
  );
}

const NAMES_SHOWN = 20;

/** Per-module completion against the plan; averages only when at least `minAggregate` learners have a score. */
export function reportItems(cohort: Cohort, course: Course, standings: MemberStanding[], t: Translate, lang: Language, minAggregate: number): ReplyItem[] {
  const total = standings.length;
  const items: ReplyItem[] = course.modules.map((m) => {
    const done = standings.filter((s) => s.modulesDone.includes(m.id)).length;
    const scores = standings.map((s) => s.moduleScores[m.id]).filter((s): s is number => s !== undefined);
    const average =
      scores.length >= minAggregate
        ? t('cohorts:report.average', { score: Math.round((100 * scores.reduce((a, b) => a + b, 0)) / scores.length) })
        : t('cohorts:report.tooFew', { count: minAggregate });
    return {
      title: t('cohorts:report.module', { order: m.order, title: m.title }),
      text: [t('cohorts:report.completed', { done, total }), t('cohorts:report.opens', { date: formatDate(cohort.plan[m.id] ?? cohort.startDate, lang) }), average].join(' · '),
      badge: `${done}/${total}`,
    };
  });
  // A long list would not fit a card: the first names, then how many more (the export has everyone).
  const names = (list: MemberStanding[]) => {
    const shown = list
      .slice(0, NAMES_SHOWN)
      .map((s) => literal(s.member.name ?? s.member.userId))
      .join(', ');
    return list.length > NAMES_SHOWN ? `${shown} ${t('cohorts:report.more', { count: list.length - NAMES_SHOWN })}` : shown;
  };
  const behind = standings.filter((s) => s.behind);
  const finished = standings.filter((s) => s.finished);
  items.push({ title: t('cohorts:report.behindTitle', { count: behind.length }), text: behind.length ? names(behind) : t('cohorts:report.nobody') });
  items.push({ title: t('cohorts:report.finishedTitle', { count: finished.length }), text: finished.length ? names(finished) : t('cohorts:report.nobody') });
  return items;
}
