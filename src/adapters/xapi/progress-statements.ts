import { createHash } from 'node:crypto';
import type { Statement } from '@xapi/xapi';
import type { Course } from '../../core/course/content-model';
import { certificateEligible, progressOf } from '../../core/course/progress-state';
import type { LearnerRecord } from '../../core/learner';
import { withoutTrailingSlashes } from '../../core/text-normalize';

/** ADL verbs (xAPI 1.0.3) for what a learner does in the course. */
const VERBS = {
  launched: 'http://adlnet.gov/expapi/verbs/launched',
  experienced: 'http://adlnet.gov/expapi/verbs/experienced',
  answered: 'http://adlnet.gov/expapi/verbs/answered',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  failed: 'http://adlnet.gov/expapi/verbs/failed',
  completed: 'http://adlnet.gov/expapi/verbs/completed',
} as const;
type Verb = keyof typeof VERBS;

const TYPES = {
  course: 'http://adlnet.gov/expapi/activities/course',
  module: 'http://adlnet.gov/expapi/activities/module',
  lesson: 'http://adlnet.gov/expapi/activities/lesson',
  question: 'http://adlnet.gov/expapi/activities/cmi.interaction',
  assessment: 'http://adlnet.gov/expapi/activities/assessment',
};

export interface StatementOptions {
  /** Base of every activity IRI, e.g. https://ministry.example/xapi. Stable: LRS reports group by it. */
  activityBase: string;
  /** Home page of the learner accounts (actors are accounts, never e-mails). */
  accountHomePage: string;
}

export interface ProgressChange {
  before?: LearnerRecord;
  after: LearnerRecord;
  /** Distinguishes repeated answers to the same question (the channel activity id). */
  activityId?: string;
  now: Date;
}

/**
 * The xAPI statements a saved learner record implies, from the difference between its course
 * progress before and after the turn. Statement ids are derived from what happened (learner,
 * verb, activity, when), so the same change always yields the same ids and an LRS that already
 * has one ignores it.
 */
export function statementsFor(change: ProgressChange, course: Course, options: StatementOptions): Statement[] {
  const before = progressOf(change.before?.data ?? {});
  const after = progressOf(change.after.data);
  const learner = change.after;
  const base = withoutTrailingSlashes(options.activityBase);
  const courseIri = `${base}/courses/${encodeURIComponent(course.id)}`;
  const out: Statement[] = [];
  const timestamp = change.now.toISOString();
  const make = (verb: Verb, object: { iri: string; type: string; name: string }, seed: string, result?: Statement['result']): Statement => ({
    id: stableUuid(`${learner.key}|${verb}|${object.iri}|${seed}`),
    actor: { objectType: 'Agent', account: { homePage: options.accountHomePage, name: `${learner.channelId}:${learner.userId}` } },
    verb: { id: VERBS[verb], display: { en: verb } },
    object: { objectType: 'Activity', id: object.iri, definition: { type: object.type, name: { [course.lang]: object.name } } },
    ...(result ? { result } : {}),
    context: {
      platform: 'govai-coach',
      language: learner.language ?? course.lang,
      ...(object.iri === courseIri ? {} : { contextActivities: { parent: [{ objectType: 'Activity', id: courseIri }] } }),
    },
    timestamp,
  });
  const courseObject = { iri: courseIri, type: TYPES.course, name: course.title };

  if (!change.before?.data.course && change.after.data.course) out.push(make('launched', courseObject, ''));
  for (const module of course.modules) {
    const moduleObject = { iri: `${base}/modules/${encodeURIComponent(module.id)}`, type: TYPES.module, name: module.title };
    for (const lesson of module.lessons) {
      const done = after.lessonsDone[lesson.id];
      if (done && !before.lessonsDone[lesson.id]) out.push(make('experienced', { iri: `${base}/lessons/${encodeURIComponent(lesson.id)}`, type: TYPES.lesson, name: lesson.title }, done));
    }
    const score = after.quizScores[module.id];
    if (score && score.at !== before.quizScores[module.id]?.at)
      out.push(make(score.passed ? 'passed' : 'failed', moduleObject, score.at, { success: score.passed, score: { scaled: round(score.score) } }));
    const completed = after.modulesDone[module.id];
    if (completed && !before.modulesDone[module.id]) out.push(make('completed', moduleObject, completed, { completion: true }));
  }
  for (const [owner, answers] of Object.entries(after.quizResults)) {
    for (const [questionId, correct] of Object.entries(answers)) {
      // The record keeps each question's latest result: a new or changed one was answered in this turn.
      if (before.quizResults[owner]?.[questionId] === correct) continue;
      out.push(make('answered', { iri: `${base}/questions/${encodeURIComponent(questionId)}`, type: TYPES.question, name: questionId }, change.activityId ?? timestamp, { success: correct }));
    }
  }
  const final = after.quizScores.final;
  if (final && final.at !== before.quizScores.final?.at) {
    out.push(
      make(final.passed ? 'passed' : 'failed', { iri: `${base}/courses/${encodeURIComponent(course.id)}/final`, type: TYPES.assessment, name: course.title }, final.at, {
        success: final.passed,
        score: { scaled: round(final.score) },
      }),
    );
  }
  if (certificateEligible(after, course) && !certificateEligible(before, course)) out.push(make('completed', courseObject, after.finalPassedAt ?? timestamp, { completion: true, success: true }));
  return out;
}

function round(score: number): number {
  return Math.round(Math.min(Math.max(score, 0), 1) * 10000) / 10000;
}

/** A name-based (version 5 layout) UUID from a seed, so the same event always has the same statement id. */
export function stableUuid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
