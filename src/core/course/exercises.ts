import type { LlmPort } from '../../ports/llm';
import { literal } from '../markdown-literal';
import { findPersonalData, redactPersonalData, type PersonalDataKind } from '../qa/pii-redaction';
import type { Reply } from '../../intents/reply';
import { cleanUserText, foldForMatching } from '../text-normalize';
import type { Turn } from '../turn';
import type { CourseModule, Exercise, ExerciseCheck, ExerciseRemoval, Lesson } from './content-model';
import { action } from './course-replies';
import { placeToken, type Place } from './progress-state';

/**
 * Practice exercises (a lesson's `exercises:`): shown after the lesson's last step and before
 * its quiz. The learner's next typed message is their answer; they get rubric feedback at
 * once, offline (which checks are met and which are missing, with tips; for a redaction, which
 * personal data remains), or from the model against the same rubric when one is configured.
 * Attempts are the learner's own work, kept in the learner record's "work" slice, so `my data`
 * exports them and erasure deletes them with the rest of the record.
 */

export const WORK_SLICE = 'work';
/** Attempts kept per exercise (the newest). */
const ATTEMPTS_KEPT = 10;
/** Longest answer stored (a prompt or a redacted note; the coach caps typed text too). */
const ANSWER_CHARS_KEPT = 4000;

export interface ExerciseAttempt {
  at: string;
  lang: string;
  answer: string;
  /** Check ids met and missing (prompt, checklist). */
  met: string[];
  missing: string[];
  /** Labels of the material's personal data still in the answer (redaction). */
  remaining: string[];
  /** What the personal-data redaction still finds in the answer. */
  personalData: PersonalDataKind[];
  /** Who wrote the feedback. */
  feedbackBy: 'rubric' | 'model';
}

export interface ReflectionEntry {
  at: string;
  lang: string;
  text: string;
  /** When the learner shared it with their cohort's channel. */
  sharedAt?: string;
}

/** The learner's own work: exercise attempts and module reflections (JSON only). */
export interface LearnerWork {
  version: 1;
  exercises: Record<string, ExerciseAttempt[]>;
  reflections: Record<string, ReflectionEntry[]>;
}

export function newLearnerWork(): LearnerWork {
  return { version: 1, exercises: {}, reflections: {} };
}

export function workOf(turn: Turn): LearnerWork {
  const work = turn.slice<LearnerWork>(WORK_SLICE, newLearnerWork);
  work.exercises ??= {};
  work.reflections ??= {};
  return work;
}

export type ExercisePlace = Extract<Place, { kind: 'exercise' }>;

// ── where exercises sit in a lesson ─────────────────────────────────────────────────────

export function exercisesOf(lesson: Lesson): Exercise[] {
  return lesson.exercises ?? [];
}

/** The exercise after `exerciseId` in its lesson (the first one for undefined), if any. */
export function exerciseAfter(lesson: Lesson, exerciseId?: string): Exercise | undefined {
  const list = exercisesOf(lesson);
  if (exerciseId === undefined) return list[0];
  const at = list.findIndex((x) => x.id === exerciseId);
  return at >= 0 ? list[at + 1] : undefined;
}

export function exerciseBefore(lesson: Lesson, exerciseId: string): Exercise | undefined {
  const list = exercisesOf(lesson);
  const at = list.findIndex((x) => x.id === exerciseId);
  return at > 0 ? list[at - 1] : undefined;
}

export function findExercise(lesson: Lesson, exerciseId: string): Exercise | undefined {
  return exercisesOf(lesson).find((x) => x.id === exerciseId);
}

// ── the offline rubric ──────────────────────────────────────────────────────────────────

export interface RubricResult {
  met: ExerciseCheck[];
  missing: ExerciseCheck[];
  remaining: ExerciseRemoval[];
  removed: ExerciseRemoval[];
  personalData: PersonalDataKind[];
}

/** Grades an answer against the exercise's rubric; no model, no network. */
export function assessAnswer(exercise: Exercise, answer: string): RubricResult {
  // Padded, so that a cue with a deliberate leading or trailing space also matches at either end.
  const folded = ` ${foldForMatching(answer)} `;
  const fold = (text: string) => foldForMatching(text);
  const hit = (check: ExerciseCheck) =>
    check.cues.some((cue) => {
      const c = fold(cue);
      return c.trim().length > 0 && folded.includes(c);
    });
  const met = exercise.checks.filter(hit);
  const missing = exercise.checks.filter((c) => !hit(c));
  const remaining = exercise.mustRemove.filter((r) => folded.includes(fold(r.text)));
  const removed = exercise.mustRemove.filter((r) => !remaining.includes(r));
  const personalData = [...new Set(findPersonalData(answer).map((s) => s.kind))];
  return { met, missing, remaining, removed, personalData };
}

/** The offline feedback: specific to this answer, with each missing check's tip. */
export function rubricFeedback(turn: Turn, exercise: Exercise, result: RubricResult): string {
  const t = turn.t;
  const parts: string[] = [];
  if (exercise.kind === 'redaction') {
    const total = exercise.mustRemove.length;
    if (!result.remaining.length) parts.push(t('course:exercise.feedback.allRemoved', { total }));
    else {
      parts.push(t('course:exercise.feedback.removed', { removed: result.removed.length, total }));
      parts.push(`**${t('course:exercise.feedback.stillThere')}**\n${result.remaining.map((r) => `- ${r.label}`).join('\n')}`);
    }
  } else {
    const total = exercise.checks.length;
    parts.push(t(result.missing.length ? 'course:exercise.feedback.score' : 'course:exercise.feedback.allMet', { met: result.met.length, total }));
    if (result.met.length) parts.push(`**${t('course:exercise.feedback.met')}**\n${result.met.map((c) => `- ✓ ${c.label}`).join('\n')}`);
    if (result.missing.length) parts.push(`**${t('course:exercise.feedback.missing')}**\n${result.missing.map((c) => `- ${c.label}: ${c.tip}`).join('\n')}`);
  }
  if (result.personalData.length) parts.push(personalDataLine(turn, result.personalData));
  return parts.join('\n\n');
}

function personalDataLine(turn: Turn, kinds: PersonalDataKind[]): string {
  const names = kinds.map((k) => turn.t(`course:exercise.personalData.${k}`)).join(', ');
  return `⚠️ ${turn.t('course:exercise.feedback.personalData', { kinds: names })}`;
}

// ── feedback from the model, against the same rubric ────────────────────────────────────

export interface ModelFeedbackDeps {
  llm?: LlmPort;
  budgetMs?: number;
  onError?: (err: unknown) => void;
}

/**
 * The model's feedback on the answer, told the rubric's verdict so that it cannot contradict
 * it; personal data is redacted from everything sent. Undefined on any failure (then the
 * offline feedback is shown).
 */
export async function modelFeedback(turn: Turn, exercise: Exercise, answer: string, result: RubricResult, deps: ModelFeedbackDeps): Promise<string | undefined> {
  const { llm } = deps;
  if (!llm?.exerciseFeedback) return undefined;
  try {
    const text = await llm.exerciseFeedback(
      {
        lang: turn.lang,
        kind: exercise.kind,
        title: exercise.title,
        task: exercise.task,
        material: exercise.material ? redactPersonalData(exercise.material) : undefined,
        answer: redactPersonalData(answer),
        met: result.met.map((c) => c.label),
        missing: result.missing.map((c) => ({ label: c.label, tip: c.tip })),
        remaining: result.remaining.map((r) => r.label),
        removed: result.removed.map((r) => r.label),
      },
      { signal: AbortSignal.timeout(deps.budgetMs ?? 10000) },
    );
    const trimmed = text.trim();
    return trimmed ? trimmed : undefined;
  } catch (err) {
    deps.onError?.(err);
    return undefined;
  }
}

/** Records an attempt as the learner's work (the newest ATTEMPTS_KEPT per exercise). */
export function recordAttempt(turn: Turn, exercise: Exercise, answer: string, result: RubricResult, feedbackBy: ExerciseAttempt['feedbackBy']): void {
  const work = workOf(turn);
  const list = (work.exercises[exercise.id] ??= []);
  list.push({
    at: turn.now.toISOString(),
    lang: turn.lang,
    answer: cleanUserText(answer).slice(0, ANSWER_CHARS_KEPT),
    met: result.met.map((c) => c.id),
    missing: result.missing.map((c) => c.id),
    remaining: result.remaining.map((r) => r.label),
    personalData: result.personalData,
    feedbackBy,
  });
  work.exercises[exercise.id] = list.slice(-ATTEMPTS_KEPT);
}

/** Records a module reflection as the learner's work. */
export function recordReflection(turn: Turn, moduleId: string, text: string): void {
  const work = workOf(turn);
  const list = (work.reflections[moduleId] ??= []);
  list.push({ at: turn.now.toISOString(), lang: turn.lang, text: cleanUserText(text).slice(0, ANSWER_CHARS_KEPT) });
  work.reflections[moduleId] = list.slice(-ATTEMPTS_KEPT);
}

// ── replies ─────────────────────────────────────────────────────────────────────────────

function position(turn: Turn, module: CourseModule, lesson: Lesson, exercise: Exercise): string {
  const list = exercisesOf(lesson);
  return turn.t('course:position.exercise', { module: module.order, lesson: lesson.order, exercise: list.indexOf(exercise) + 1, exercises: list.length });
}

/** The exercise: task, material and what to do next (type the answer, or a button). */
export function exerciseReply(turn: Turn, module: CourseModule, lesson: Lesson, exercise: Exercise, notice?: string): Reply {
  const t = turn.t;
  const at = { at: placeToken({ kind: 'exercise', lessonId: lesson.id, exerciseId: exercise.id }) };
  const text = [
    notice,
    exercise.task,
    exercise.material ? `**${t(`course:exercise.material.${exercise.kind}`)}**\n\n${exercise.material}` : undefined,
    `_${t(`course:exercise.typeAnswer.${exercise.kind}`)}_`,
  ]
    .filter(Boolean)
    .join('\n\n');
  return turn.reply({
    intent: 'exercise',
    title: t('course:exercise.title', { title: exercise.title }),
    text,
    position: position(turn, module, lesson, exercise),
    actions: [
      action(turn, 'exerciseSkip', 'next', at),
      action(turn, 'exerciseModel', 'exercise.model', { exercise: exercise.id }),
      action(turn, 'exerciseHelp', 'exercise.help', { exercise: exercise.id }),
    ],
    summary: `${exercise.title}: ${exercise.task}`.slice(0, 300),
  });
}

function afterAnswerActions(turn: Turn, lesson: Lesson, exercise: Exercise) {
  const at = { at: placeToken({ kind: 'exercise', lessonId: lesson.id, exerciseId: exercise.id }) };
  return [
    action(turn, 'continue', 'next', at, true),
    action(turn, 'exerciseRetry', 'exercise.retry', { exercise: exercise.id }),
    action(turn, 'exerciseModel', 'exercise.model', { exercise: exercise.id }),
  ];
}

/** Feedback on one attempt: the model's when it answered, else the rubric's. */
export function feedbackReply(turn: Turn, module: CourseModule, lesson: Lesson, exercise: Exercise, result: RubricResult, fromModel?: string): Reply {
  const t = turn.t;
  const rubric = rubricFeedback(turn, exercise, result);
  const text = fromModel
    ? [
        literal(fromModel),
        exercise.kind === 'redaction'
          ? t('course:exercise.feedback.removed', { removed: result.removed.length, total: exercise.mustRemove.length })
          : t('course:exercise.feedback.score', { met: result.met.length, total: exercise.checks.length }),
        result.personalData.length ? personalDataLine(turn, result.personalData) : undefined,
        `_${t('course:exercise.feedback.byModel')}_`,
      ]
        .filter(Boolean)
        .join('\n\n')
    : rubric;
  return turn.reply({
    intent: 'exercise-feedback',
    title: t('course:exercise.feedbackTitle', { title: exercise.title }),
    text,
    position: position(turn, module, lesson, exercise),
    actions: afterAnswerActions(turn, lesson, exercise),
  });
}

export function modelAnswerReply(turn: Turn, module: CourseModule, lesson: Lesson, exercise: Exercise): Reply {
  return turn.reply({
    intent: 'exercise-feedback',
    title: turn.t('course:exercise.modelAnswerTitle', { title: exercise.title }),
    text: exercise.modelAnswer,
    position: position(turn, module, lesson, exercise),
    actions: afterAnswerActions(turn, lesson, exercise),
  });
}

/** What a good answer contains: the rubric's checks with their tips (or what to remove). */
export function helpReply(turn: Turn, module: CourseModule, lesson: Lesson, exercise: Exercise): Reply {
  const t = turn.t;
  const at = { at: placeToken({ kind: 'exercise', lessonId: lesson.id, exerciseId: exercise.id }) };
  const list = exercise.kind === 'redaction' ? t('course:exercise.help.redactionCount', { total: exercise.mustRemove.length }) : exercise.checks.map((c) => `- **${c.label}**: ${c.tip}`).join('\n');
  return turn.reply({
    intent: 'exercise',
    title: t('course:exercise.helpTitle', { title: exercise.title }),
    text: [t(`course:exercise.help.${exercise.kind}`), list, `_${t(`course:exercise.typeAnswer.${exercise.kind}`)}_`].join('\n\n'),
    position: position(turn, module, lesson, exercise),
    actions: [action(turn, 'exerciseSkip', 'next', at), action(turn, 'exerciseModel', 'exercise.model', { exercise: exercise.id })],
  });
}
