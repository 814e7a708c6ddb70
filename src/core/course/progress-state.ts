import type { Course } from './content-model';
import { allLessons, indexOf, quizQuestionIds, type QuizScope } from './course-index';
import { PASS_MARK, scoreOf } from './grading';
import type { StoredReviewCard } from './review-schedule';

export const COURSE_SLICE = 'course';

export interface QuizSession {
  scope: QuizScope;
  /** Lesson id, module id, "final" or "review". */
  owner: string;
  questionIds: string[];
  index: number;
  /** Question id → answered correctly, for questions answered in this session. */
  answered: Record<string, boolean>;
  /** Only the questions missed before. */
  retry?: boolean;
  /** Where a review session returns to. */
  returnTo?: LearningPlace;
  /** Names this attempt: with the learner key and the question id it seeds the order of the options. */
  attempt?: string;
}

/** One attempt at the final assessment: the questions drawn for it and the answers given. */
export interface FinalAttempt {
  id: string;
  startedAt: string;
  questionIds: string[];
  /** Question id → the option ids chosen. */
  answers: Record<string, string[]>;
  /** Question id → answered correctly. */
  results: Record<string, boolean>;
  finishedAt?: string;
  score?: number;
  passed?: boolean;
}

export type LearningPlace =
  | { kind: 'about'; index: number }
  | { kind: 'step'; lessonId: string; index: number }
  | { kind: 'reflection'; moduleId: string }
  /** A lesson's practice exercise, between its last step and its quiz; typed text is the answer. */
  | { kind: 'exercise'; lessonId: string; exerciseId: string };

export type Place = LearningPlace | { kind: 'quiz'; session: QuizSession } | { kind: 'quiz-done'; session: QuizSession };

/**
 * A stable name for a place. Next and Back buttons carry the name of the place they were shown
 * on (args.at), so a second press of the same card (a double click, a retried activity with a new
 * id) shows where the learner already is instead of moving them again.
 */
export function placeToken(place: Place | undefined): string {
  if (!place) return 'none';
  switch (place.kind) {
    case 'about':
      return `about:${place.index}`;
    case 'step':
      return `step:${place.lessonId}:${place.index}`;
    case 'reflection':
      return `reflection:${place.moduleId}`;
    case 'exercise':
      return `exercise:${place.exerciseId}`;
    case 'quiz':
      return `quiz:${place.session.owner}:${place.session.questionIds[place.session.index] ?? ''}`;
    case 'quiz-done':
      return `done:${place.session.owner}`;
  }
}

export interface QuizScore {
  score: number;
  passed: boolean;
  at: string;
}

/** The course feature's slice of the learner record (JSON only). */
export interface CourseProgress {
  version: 1;
  place?: Place;
  /** Lesson id → when its steps and quiz were completed. */
  lessonsDone: Record<string, string>;
  /** Lesson id → the furthest step index reached, so progress can show lessons begun but not done. */
  stepsSeen?: Record<string, number>;
  /** Quiz owner → question id → latest answer was correct. */
  quizResults: Record<string, Record<string, boolean>>;
  /** Module and final scores (latest, over every question of that quiz). */
  quizScores: Record<string, QuizScore>;
  /** Module id → when it was completed (all lessons done and module quiz passed). */
  modulesDone: Record<string, string>;
  finalPassedAt?: string;
  /** Final-assessment attempts, oldest first; the last one may still be in progress. */
  finalAttempts?: FinalAttempt[];
  /** Spaced-review deck: question id → FSRS card. */
  reviews: Record<string, StoredReviewCard>;
  certificateId?: string;
  /** The name to print, when the learner typed one. */
  certificateName?: string;
}

export function newCourseProgress(): CourseProgress {
  return { version: 1, lessonsDone: {}, quizResults: {}, quizScores: {}, modulesDone: {}, reviews: {} };
}

/** Reads the slice from a stored learner record without creating it. */
export function progressOf(data: Record<string, unknown>): CourseProgress {
  return (data[COURSE_SLICE] as CourseProgress | undefined) ?? newCourseProgress();
}

/** Scores a module or final quiz over all its questions and records the result. */
export function recordQuizScore(progress: CourseProgress, course: Course, owner: string, now: Date): QuizScore {
  const ids = quizQuestionIds(indexOf(course), owner);
  const score = scoreOf(progress.quizResults[owner] ?? {}, ids);
  const result = { score, passed: score >= PASS_MARK, at: now.toISOString() };
  progress.quizScores[owner] = result;
  if (owner === 'final' && result.passed) progress.finalPassedAt ??= result.at;
  refreshCompletion(progress, course, now);
  return result;
}

/** A lesson's steps were all shown (the furthest step reached is its last). */
export function lessonStepsSeen(progress: CourseProgress, lesson: { id: string; steps: unknown[] }): boolean {
  return (progress.stepsSeen?.[lesson.id] ?? -1) >= lesson.steps.length - 1;
}

/** A module is complete when all its lessons are done and its quiz is passed. */
export function refreshCompletion(progress: CourseProgress, course: Course, now: Date): void {
  for (const module of course.modules) {
    const complete = module.lessons.every((l) => progress.lessonsDone[l.id]) && progress.quizScores[module.id]?.passed === true;
    if (complete) progress.modulesDone[module.id] ??= now.toISOString();
  }
}

export function allModulesDone(progress: CourseProgress, course: Course): boolean {
  return course.modules.every((m) => progress.modulesDone[m.id]);
}

export function certificateEligible(progress: CourseProgress, course: Course): boolean {
  return allModulesDone(progress, course) && Boolean(progress.finalPassedAt);
}

export function lessonCounts(progress: CourseProgress, course: Course): { done: number; total: number } {
  const lessons = allLessons(course);
  return { done: lessons.filter((l) => progress.lessonsDone[l.id]).length, total: lessons.length };
}
