import type { StoragePort } from '../../ports/storage';
import { COURSE_SLICE, type CourseProgress } from '../course/progress-state';
import type { LearnerRecord } from '../learner';
import { reminderKey, type ReminderDocument } from '../reminders/reminder-document';
import { listAll, type PersonalDataSection, type PersonalDataSource } from './personal-data';

/** Summary lines of the learner record: what a learner recognises, not slice names. */
export interface LearnerRecordDetails {
  lessonsDone: number;
  quizAnswers: number;
  reviewCards: number;
  questions: number;
  /** The learner's own work: exercise answers and module reflections (slice "work"). */
  exerciseAnswers: number;
  reflections: number;
}

export function learnerRecordDetails(learner: LearnerRecord): LearnerRecordDetails {
  const course = learner.data[COURSE_SLICE] as CourseProgress | undefined;
  const qa = learner.data.qa as { history?: unknown[] } | undefined;
  const work = learner.data.work as { exercises?: Record<string, unknown[]>; reflections?: Record<string, unknown[]> } | undefined;
  const entries = (lists: Record<string, unknown[]> | undefined) => Object.values(lists ?? {}).reduce((n, list) => n + list.length, 0);
  return {
    lessonsDone: Object.keys(course?.lessonsDone ?? {}).length,
    quizAnswers: Object.values(course?.quizResults ?? {}).reduce((n, answers) => n + Object.keys(answers).length, 0),
    reviewCards: Object.keys(course?.reviews ?? {}).length,
    questions: qa?.history?.length ?? 0,
    exerciseAnswers: entries(work?.exercises),
    reflections: entries(work?.reflections),
  };
}

/**
 * The learner record: profile, language, time zone and every feature's slice (course
 * progress, quiz answers, review deck, recent questions...). Exported whole, so a slice a
 * feature adds later is in the file without registering anything.
 */
export function learnerRecordSource(storage: StoragePort): PersonalDataSource {
  return {
    name: 'learnerRecord',
    labelKey: 'privacy:sections.learnerRecord',
    export: async (subject): Promise<PersonalDataSection | undefined> => {
      const learner = subject.learner ?? (await storage.read<LearnerRecord>(subject.learnerKey))?.value;
      return learner ? { count: 1, data: learner } : undefined;
    },
    erase: async (subject) => ((await storage.delete(subject.learnerKey)) ? 1 : 0),
    eraseLast: true,
  };
}

/** The daily reminder (`reminder:<learner key>`), kept outside the record so the scheduler can claim it. */
export function reminderSource(storage: StoragePort): PersonalDataSource {
  return {
    name: 'reminders',
    labelKey: 'privacy:sections.reminders',
    export: async (subject) => {
      const doc = await storage.read<ReminderDocument>(reminderKey(subject.learnerKey));
      return doc ? { count: 1, data: doc.value } : undefined;
    },
    erase: async (subject) => ((await storage.delete(reminderKey(subject.learnerKey))) ? 1 : 0),
  };
}

const POLL_PREFIX = 'poll:';

/** Confidence-poll votes: shown only as anonymous tallies, but stored per learner key so a vote can change. */
export function pollVoteSource(storage: StoragePort): PersonalDataSource {
  const votesOf = async (learnerKey: string) => {
    const found: { key: string; etag: string; votes: Record<string, string>; level: string }[] = [];
    for (const key of await listAll(storage, POLL_PREFIX)) {
      const doc = await storage.read<{ votes: Record<string, string> }>(key);
      const level = doc?.value.votes?.[learnerKey];
      if (doc && level) found.push({ key, etag: doc.etag, votes: doc.value.votes, level });
    }
    return found;
  };
  return {
    name: 'pollVotes',
    labelKey: 'privacy:sections.pollVotes',
    export: async (subject) => {
      const votes = await votesOf(subject.learnerKey);
      // The key names the conversation and module (poll:<channel>:<conversation>:<module>).
      return { count: votes.length, data: votes.map((v) => ({ poll: v.key.slice(POLL_PREFIX.length), level: v.level })) };
    },
    erase: async (subject) => {
      const votes = await votesOf(subject.learnerKey);
      for (const vote of votes) {
        const { [subject.learnerKey]: _removed, ...others } = vote.votes;
        // Last writer wins is not safe here (a concurrent vote would be lost): a conflict fails the erasure, which is retried.
        await storage.write(vote.key, { votes: others }, { ifMatch: vote.etag });
      }
      return votes.length;
    },
  };
}
