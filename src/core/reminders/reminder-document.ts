import type { Language } from '../../config/config-schema';

/** One learner's daily reminder, stored under `reminder:<learner key>` (not in the learner record, so the scheduler can claim it). */
export interface ReminderDocument {
  learnerKey: string;
  /** "HH:MM", 24-hour, local to `timeZone`. */
  time: string;
  timeZone: string;
  /** The conversation language when the learner opted in (used if they never chose one). */
  language: Language;
  active: boolean;
  /** Why reminders stopped: the learner said so, or they ignored too many. */
  stoppedBecause?: 'learner' | 'ignored' | 'unreachable';
  /** ISO instant of the next nudge. */
  nextDueAt: string;
  lastSentAt?: string;
  /** Nudges in a row that the learner did not react to (no activity after them). */
  ignored: number;
  updatedAt: string;
}

export const REMINDER_PREFIX = 'reminder:';

export function reminderKey(learnerKey: string): string {
  return `${REMINDER_PREFIX}${learnerKey}`;
}

/** Nudges stop after this many ignored ones in a row. */
export const MAX_IGNORED_NUDGES = 3;
