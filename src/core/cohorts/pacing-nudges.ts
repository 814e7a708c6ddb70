import type { Localizer } from '../../i18n/i18n';
import type { Logger } from '../../logging/logger';
import type { CohortChannelPort } from '../../ports/cohort-channels';
import { CREATE_ONLY, StorageConflictError, type StoragePort } from '../../ports/storage';
import type { CourseCatalog } from '../course/content-model';
import { certificateEligible, progressOf } from '../course/progress-state';
import { learnerKey, type LearnerRecord } from '../learner';
import { MAX_IGNORED_NUDGES, reminderKey, type ReminderDocument } from '../reminders/reminder-document';
import { validTimeZone } from '../reminders/reminder-time';
import { welcomeKey, type Cohort, type WelcomeDocument } from './cohort-model';
import { addDays, localDate } from './cohort-plan';
import { literal } from '../markdown-literal';
import { formatDate, replyIn } from './cohort-replies';

/** One member's pacing nudges, under `cohort-nudge:<cohort>:<user>`: what was sent, and whether they stopped. */
export interface NudgeDocument {
  /** Event ("open:m2", "due") → when it was sent (or skipped). */
  events: Record<string, string>;
  lastSentAt?: string;
  /** Nudges in a row with no activity after them. */
  ignored: number;
  stopped?: boolean;
}

export function nudgeKey(cohortId: string, userId: string): string {
  return `cohort-nudge:${cohortId}:${userId}`;
}

/** Nudges go out from this local time unless the member chose a reminder time. */
const DEFAULT_TIME = '09:00';
/** "Due soon" comes this many days before the due date, to members behind the plan. */
const DUE_SOON_DAYS = 3;

/**
 * Pacing nudges: when a module opens, and shortly before the due date for members behind the
 * plan, each member gets one nudge, at their reminder time (else 09:00) in their own time zone.
 * `stop reminders` stops these too; after several ignored nudges they stop and the report says so.
 * Each nudge is claimed (etag write) before it is sent, so several instances send it once.
 */
export class PacingNudges {
  constructor(private readonly options: { storage: StoragePort; channels: Record<string, CohortChannelPort>; localizer: Localizer; catalog: CourseCatalog; logger: Logger }) {}

  async pass(cohort: Cohort, now: Date): Promise<void> {
    if (!cohort.welcomesQueuedAt) return;
    for (const member of Object.values(cohort.members)) {
      try {
        await this.member(cohort, member.userId, now);
      } catch (err) {
        this.options.logger.error({ err, cohort: cohort.id }, 'pacing nudge failed');
      }
    }
  }

  private async member(cohort: Cohort, userId: string, now: Date): Promise<void> {
    const { storage } = this.options;
    // The welcome comes first; a member who never got it is not nudged.
    if ((await storage.read<WelcomeDocument>(welcomeKey(cohort.id, userId)))?.value.state !== 'sent') return;
    const key = learnerKey(cohort.channelId, userId);
    const learner = (await storage.read<LearnerRecord>(key))?.value;
    const reminder = (await storage.read<ReminderDocument>(reminderKey(key)))?.value;
    if (reminder && !reminder.active && reminder.stoppedBecause === 'learner') return;
    const zone = validTimeZone(learner?.timezone ?? cohort.timeZone);
    const time = reminder?.active ? reminder.time : DEFAULT_TIME;
    const today = localDate(now, zone);
    if (localTime(now, zone) < time) return;

    const event = this.dueEvent(cohort, learner, today);
    if (!event) return;
    const stored = await storage.read<NudgeDocument>(nudgeKey(cohort.id, userId));
    const doc: NudgeDocument = stored?.value ?? { events: {}, ignored: 0 };
    if (doc.stopped || doc.events[event]) return;
    const reacted = !doc.lastSentAt || (learner !== undefined && learner.updatedAt > doc.lastSentAt);
    const ignored = reacted ? 0 : doc.ignored + 1;
    const stop = ignored >= MAX_IGNORED_NUDGES;
    const claimed: NudgeDocument = { events: { ...doc.events, [event]: now.toISOString() }, ignored, ...(stop ? { stopped: true, lastSentAt: doc.lastSentAt } : { lastSentAt: now.toISOString() }) };
    try {
      await storage.write(nudgeKey(cohort.id, userId), claimed, { ifMatch: stored?.etag ?? CREATE_ONLY });
    } catch (err) {
      if (err instanceof StorageConflictError) return; // another instance has it
      throw err;
    }
    if (stop) return;
    const member = cohort.members[userId];
    const channel = this.options.channels[cohort.channelId];
    const result = channel ? await channel.sendPersonal(member, [this.reply(cohort, learner, event)]) : undefined;
    if (result?.outcome !== 'sent') this.options.logger.info({ cohort: cohort.id, outcome: result?.outcome }, 'pacing nudge not delivered');
  }

  /** The one event due today: the newest module that opened (after the first), or "due" for members behind. */
  private dueEvent(cohort: Cohort, learner: LearnerRecord | undefined, today: string): string | undefined {
    const course = this.options.catalog.get(cohort.language);
    const progress = progressOf(learner?.data ?? {});
    if (certificateEligible(progress, course)) return undefined;
    if (today >= addDays(cohort.dueDate, -DUE_SOON_DAYS) && today <= cohort.dueDate) {
      const behind = course.modules.some((m) => !progress.modulesDone[m.id]);
      return behind ? 'due' : undefined;
    }
    const opened = course.modules.filter((m) => cohort.plan[m.id] && cohort.plan[m.id] > cohort.startDate && cohort.plan[m.id] === today);
    const module = opened[opened.length - 1];
    return !module || progress.modulesDone[module.id] ? undefined : `open:${module.id}`;
  }

  private reply(cohort: Cohort, learner: LearnerRecord | undefined, event: string) {
    const lang = learner?.language ?? cohort.language;
    const t = this.options.localizer.forLanguage(lang);
    const course = this.options.catalog.get(lang);
    const actions = [
      { label: t('cohorts:nudge.continue'), command: 'start', style: 'primary' as const },
      { label: t('cohorts:nudge.stop'), command: 'reminders.stop' },
    ];
    if (event === 'due') {
      const progress = progressOf(learner?.data ?? {});
      const left = course.modules.filter((m) => !progress.modulesDone[m.id]).length;
      const title = t('cohorts:nudge.dueTitle', { name: literal(cohort.name), date: formatDate(cohort.dueDate, lang) });
      return replyIn(lang, { intent: 'notice', title, summary: title, text: t('cohorts:nudge.dueText', { count: left }), actions });
    }
    const module = course.modules.find((m) => `open:${m.id}` === event)!;
    const title = t('cohorts:nudge.openTitle', { order: module.order, title: module.title });
    return replyIn(lang, { intent: 'notice', title, summary: title, text: t('cohorts:nudge.openText', { name: literal(cohort.name) }), actions });
  }
}

/** "HH:MM" now in `zone`. */
function localTime(now: Date, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(now);
}
