import type { CertificateIssuer } from '../../ports/certificates';
import type { CommandRegistry } from '../command-registry';
import type { Reply } from '../../intents/reply';
import type { Turn } from '../turn';
import type { Course, CourseCatalog } from './content-model';
import { indexOf, quizQuestionIds, type CourseIndex, type QuizScope } from './course-index';
import {
  aboutStepReply,
  action,
  formatDate,
  courseMapReply,
  feedbackReply,
  lessonStepReply,
  moduleReply,
  notice,
  progressReply,
  questionReply,
  finalAnswerReply,
  finalReviewReply,
  reflectionReply,
  summaryReply,
} from './course-replies';
import { certificateReply } from './certificate-reply';
import { type Grade, gradeAnswer, InvalidAnswerError, parseAnswer, PASS_MARK, scoreOf } from './grading';
import { drawFinal, finalBank } from './final-bank';
import {
  allModulesDone,
  COURSE_SLICE,
  newCourseProgress,
  recordQuizScore,
  refreshCompletion,
  lessonStepsSeen,
  type CourseProgress,
  type FinalAttempt,
  type LearningPlace,
  type Place,
  placeToken,
  type QuizSession,
} from './progress-state';
import { dueQuestionIds, nextDue, recordReviewAnswer } from './review-schedule';
import type { LlmPort } from '../../ports/llm';
import {
  assessAnswer,
  exerciseAfter,
  exerciseBefore,
  exerciseReply,
  feedbackReply as exerciseFeedbackReply,
  findExercise,
  helpReply as exerciseHelpReply,
  modelAnswerReply,
  modelFeedback,
  recordAttempt,
  recordReflection,
  workOf,
} from './exercises';
import { reflectionSavedReply } from './reflection-replies';
import { estimateCourse } from './estimate';
import type { ReflectionSharing } from '../cohorts/reflection-sharing';

export interface CourseDeps {
  catalog: CourseCatalog;
  certificates: CertificateIssuer;
  /** Hours between final-assessment attempts (FINAL_COOLDOWN_HOURS); 0 means no wait. Default 24. */
  finalCooldownHours?: number;
  /** The model for this learner's exercise feedback, unless none is configured or a model budget is spent. */
  llm?: (turn: Turn) => Promise<LlmPort | undefined>;
  /** Time allowed for the model's exercise feedback (LLM_BUDGET_MS); then the rubric's feedback is sent. */
  llmBudgetMs?: number;
  onLlmError?: (err: unknown) => void;
  /** Sharing a reflection with the learner's cohort channel (the cohorts feature), when there is one. */
  reflectionSharing?: ReflectionSharing;
}

const REVIEW_BATCH = 10;
const DEFAULT_FINAL_COOLDOWN_HOURS = 24;

/** Everything a course handler needs for one turn. */
interface Ctx {
  turn: Turn;
  course: Course;
  index: CourseIndex;
  progress: CourseProgress;
  deps: CourseDeps;
}

/**
 * The learner's journey through the course: start/resume, the course map, step-by-step
 * lessons, quizzes with feedback, spaced review, progress and the certificate. State lives
 * in the learner record slice "course"; the coach saves it atomically after each turn.
 */
export function registerCourse(registry: CommandRegistry, deps: CourseDeps): void {
  const route = (name: string, handler: (ctx: Ctx) => Promise<Reply[]> | Reply[], options: { typed?: boolean; takesText?: boolean } = {}) =>
    registry.add({
      name,
      ...(options.typed ? { aliasesKey: `course:commands.${name}`, helpKey: `course:help.${name}` } : {}),
      takesText: options.takesText,
      // Everything of the course is the learner's own: in group chats and channels it goes to their personal chat.
      handler: async (turn) => (await handler(contextOf(turn, deps))).map((reply) => ({ ...reply, personal: true })),
    });

  route('start', resume, { typed: true });
  route('modules', (c) => [courseMapReply(c.turn, c.course, c.progress)], { typed: true });
  route('next', next, { typed: true });
  route('back', back, { typed: true });
  route('repeat', repeat, { typed: true });
  route('quiz', quizCommand, { typed: true });
  route('progress', (c) => [progressReply(c.turn, c.course, c.progress)], { typed: true });
  route('review', review, { typed: true });
  route('certificate', certificate, { typed: true, takesText: true });
  route('module.open', openModule);
  route('lesson.open', openLesson);
  route('reflection', openReflection);
  route('quiz.answer', answer);
  route('quiz.hint', hint);
  // Typed "hint" (in any language) is a command for the open question, never a course question.
  route('hint', hint, { typed: true });
  route('quiz.retry', retryMissed);
  route('final.review', finalReview);
  route('exercise.model', exerciseModel);
  route('exercise.help', exerciseHelp);
  route('exercise.retry', exerciseRetry);
  route('reflection.share', shareReflection);
  // While an exercise or a reflection is on screen, the learner's typed message is their answer (commands still work).
  registry.captureText(async (turn) => {
    if (turn.input.scope !== 'personal' || !turn.text) return undefined;
    const c = contextOf(turn, deps);
    const place = c.progress.place;
    if (place?.kind === 'exercise') return (await exerciseAnswer(c, place.lessonId, place.exerciseId))?.map((r) => ({ ...r, personal: true }));
    if (place?.kind === 'reflection') return (await reflectionAnswer(c, place.moduleId))?.map((r) => ({ ...r, personal: true }));
    return undefined;
  });
}

function contextOf(turn: Turn, deps: CourseDeps): Ctx {
  const course = deps.catalog.get(turn.lang);
  return { turn, course, index: indexOf(course), progress: turn.slice<CourseProgress>(COURSE_SLICE, newCourseProgress), deps };
}

// ── places ──────────────────────────────────────────────────────────────────────────────

/** Shows the learner's current place again. */
function showCurrent(c: Ctx): Reply[] {
  return show(c, c.progress.place);
}

/**
 * Moves the learner to `place` and shows it; no place (or one whose content no longer exists)
 * means the next unfinished part. No default parameter on purpose: an explicit `undefined`
 * must never fall back to the current place (that kept finished reviews on screen).
 */
function show(c: Ctx, place: Place | undefined): Reply[] {
  c.progress.place = place;
  if (!place) return showNextUnfinished(c);
  switch (place.kind) {
    case 'about':
      if (!c.course.about[place.index]) return showNextUnfinished(c);
      return [aboutStepReply(c.turn, c.course, place.index)];
    case 'step': {
      const found = c.index.lessons.get(place.lessonId);
      if (!found?.lesson.steps[place.index]) return showNextUnfinished(c);
      const seen = (c.progress.stepsSeen ??= {});
      seen[place.lessonId] = Math.max(seen[place.lessonId] ?? 0, place.index);
      return [lessonStepReply(c.turn, found.module, found.lesson, place.index)];
    }
    case 'reflection': {
      const module = c.index.modules.get(place.moduleId);
      return module ? [reflectionReply(c.turn, module)] : showNextUnfinished(c);
    }
    case 'exercise': {
      const found = c.index.lessons.get(place.lessonId);
      const exercise = found && findExercise(found.lesson, place.exerciseId);
      if (!found || !exercise) return found ? beginQuiz(c, 'lesson', found.lesson.id) : showNextUnfinished(c);
      return [exerciseReply(c.turn, found.module, found.lesson, exercise)];
    }
    case 'quiz': {
      const { session } = place;
      if (session.questionIds[session.index] in session.answered) return [notice(c.turn, c.turn.t('course:quiz.answeredPressNext'), [action(c.turn, 'nextQuestion', 'next', undefined, true)])];
      return askCurrent(c, session);
    }
    case 'quiz-done':
      return [finishedSummary(c, place.session)];
  }
}

function goToLesson(c: Ctx, lessonId: string, index = 0): Reply[] {
  return show(c, { kind: 'step', lessonId, index });
}

/** The first thing not yet done: a lesson, a module quiz, the final assessment or the certificate. */
function showNextUnfinished(c: Ctx): Reply[] {
  const { course, progress } = c;
  for (const module of course.modules) {
    const lesson = module.lessons.find((l) => !progress.lessonsDone[l.id]);
    if (lesson) return goToLesson(c, lesson.id);
  }
  const module = course.modules.find((m) => !progress.modulesDone[m.id]);
  if (module) return show(c, { kind: 'reflection', moduleId: module.id });
  c.progress.place = undefined;
  if (!progress.finalPassedAt) {
    return [notice(c.turn, c.turn.t('course:final.ready'), [action(c.turn, 'finalAssessment', 'quiz', { id: 'final' }, true), action(c.turn, 'progress', 'progress')])];
  }
  return [notice(c.turn, c.turn.t('course:final.allDone'), [action(c.turn, 'certificate', 'certificate', undefined, true), action(c.turn, 'review', 'review')])];
}

function resume(c: Ctx): Reply[] {
  const place = c.progress.place;
  if (!place && !Object.keys(c.progress.lessonsDone).length) return show(c, { kind: 'about', index: 0 });
  if (place?.kind === 'quiz-done') return continueAfter(c, place.session);
  return showCurrent(c);
}

/** A Next or Back button pressed on a card the learner has already moved on from. */
function pressedElsewhere(c: Ctx): boolean {
  const at = c.turn.args.at;
  return at !== undefined && at !== placeToken(c.progress.place);
}

function next(c: Ctx): Reply[] {
  if (pressedElsewhere(c)) return showCurrent(c);
  const place = c.progress.place;
  if (!place) return resume(c);
  switch (place.kind) {
    case 'about':
      if (place.index + 1 < c.course.about.length) return show(c, { kind: 'about', index: place.index + 1 });
      return showNextUnfinished(c);
    case 'step': {
      const found = c.index.lessons.get(place.lessonId);
      if (found && place.index + 1 < found.lesson.steps.length) return goToLesson(c, place.lessonId, place.index + 1);
      if (!found) return showNextUnfinished(c);
      // After the last step: the lesson's exercises, then its quiz.
      const first = exerciseAfter(found.lesson);
      return first ? show(c, { kind: 'exercise', lessonId: found.lesson.id, exerciseId: first.id }) : beginQuiz(c, 'lesson', place.lessonId);
    }
    case 'exercise': {
      const found = c.index.lessons.get(place.lessonId);
      const following = found && exerciseAfter(found.lesson, place.exerciseId);
      if (found && following) return show(c, { kind: 'exercise', lessonId: found.lesson.id, exerciseId: following.id });
      return found ? beginQuiz(c, 'lesson', found.lesson.id) : showNextUnfinished(c);
    }
    case 'reflection':
      return beginQuiz(c, 'module', place.moduleId);
    case 'quiz': {
      const { session } = place;
      const current = session.questionIds[session.index];
      if (!(current in session.answered)) return askCurrent(c, session);
      if (session.index + 1 < session.questionIds.length) {
        session.index++;
        return askCurrent(c, session);
      }
      return finishQuiz(c, session);
    }
    case 'quiz-done':
      return continueAfter(c, place.session);
  }
}

function back(c: Ctx): Reply[] {
  if (pressedElsewhere(c)) return showCurrent(c);
  const place = c.progress.place;
  if (!place) return resume(c);
  switch (place.kind) {
    case 'about':
      return show(c, { kind: 'about', index: Math.max(0, place.index - 1) });
    case 'step': {
      if (place.index > 0) return goToLesson(c, place.lessonId, place.index - 1);
      const previous = previousLesson(c, place.lessonId);
      if (previous) return goToLesson(c, previous.id, previous.steps.length - 1);
      return show(c, { kind: 'about', index: c.course.about.length - 1 });
    }
    case 'reflection': {
      const last = c.index.modules.get(place.moduleId)?.lessons.at(-1);
      return last ? goToLesson(c, last.id, last.steps.length - 1) : showCurrent(c);
    }
    case 'exercise': {
      const lesson = c.index.lessons.get(place.lessonId)?.lesson;
      if (!lesson) return showCurrent(c);
      const previous = exerciseBefore(lesson, place.exerciseId);
      return previous ? show(c, { kind: 'exercise', lessonId: lesson.id, exerciseId: previous.id }) : goToLesson(c, lesson.id, lesson.steps.length - 1);
    }
    case 'quiz':
    case 'quiz-done': {
      const { session } = place;
      if (session.scope === 'lesson') {
        const lesson = c.index.lessons.get(session.owner)?.lesson;
        const lastExercise = lesson?.exercises?.at(-1);
        if (lesson && lastExercise) return show(c, { kind: 'exercise', lessonId: lesson.id, exerciseId: lastExercise.id });
        if (lesson) return goToLesson(c, lesson.id, lesson.steps.length - 1);
      }
      if (session.scope === 'module') return show(c, { kind: 'reflection', moduleId: session.owner });
      if (session.scope === 'review') return show(c, session.returnTo);
      return showCurrent(c);
    }
  }
}

/** Shows the current step or question again (an answered question points to Next). */
function repeat(c: Ctx): Reply[] {
  return showCurrent(c);
}

function previousLesson(c: Ctx, lessonId: string) {
  const lessons = c.course.modules.flatMap((m) => m.lessons);
  const at = lessons.findIndex((l) => l.id === lessonId);
  return at > 0 ? lessons[at - 1] : undefined;
}

function openModule(c: Ctx): Reply[] {
  const module = c.index.modules.get(c.turn.args.module ?? '');
  if (!module) return [courseMapReply(c.turn, c.course, c.progress)];
  const lesson = module.lessons.find((l) => !c.progress.lessonsDone[l.id]) ?? module.lessons[0];
  const reply = moduleReply(c.turn, module, c.progress);
  reply.actions = [action(c.turn, 'startLesson', 'lesson.open', { lesson: lesson.id }, true), ...(reply.actions ?? [])];
  return [reply];
}

function openLesson(c: Ctx): Reply[] {
  const found = c.index.lessons.get(c.turn.args.lesson ?? '');
  return found ? goToLesson(c, found.lesson.id) : [courseMapReply(c.turn, c.course, c.progress)];
}

function openReflection(c: Ctx): Reply[] {
  const module = c.index.modules.get(c.turn.args.module ?? '');
  return module ? show(c, { kind: 'reflection', moduleId: module.id }) : [courseMapReply(c.turn, c.course, c.progress)];
}

// ── quizzes ─────────────────────────────────────────────────────────────────────────────

function beginQuiz(c: Ctx, scope: Exclude<QuizScope, 'review'>, owner: string, questionIds = quizQuestionIds(c.index, owner), retry = false): Reply[] {
  if (!questionIds.length) return showNextUnfinished(c);
  const session: QuizSession = { scope, owner, questionIds, index: 0, answered: {}, ...(retry ? { retry } : {}), attempt: c.turn.now.toISOString() };
  c.progress.place = { kind: 'quiz', session };
  const intro = scope === 'final' ? c.turn.t('course:final.intro', { count: questionIds.length }) : undefined;
  return askCurrent(c, session, intro);
}

function askCurrent(c: Ctx, session: QuizSession, intro?: string): Reply[] {
  const entry = c.index.questions.get(session.questionIds[session.index]);
  if (!entry) return finishQuiz(c, session);
  return [...(intro ? [notice(c.turn, intro)] : []), questionReply(c.turn, c.course, session, entry.question)];
}

function quizCommand(c: Ctx): Reply[] {
  const id = c.turn.args.id;
  const place = c.progress.place;
  if (id === 'final') return beginFinal(c);
  if (id && c.index.modules.has(id)) return beginQuiz(c, 'module', id);
  if (id && c.index.lessons.has(id)) return beginQuiz(c, 'lesson', id);
  if (place?.kind === 'quiz' || place?.kind === 'quiz-done') return showCurrent(c);
  if (place?.kind === 'step') return beginQuiz(c, 'lesson', place.lessonId);
  if (place?.kind === 'exercise') return beginQuiz(c, 'lesson', place.lessonId);
  if (place?.kind === 'reflection') return beginQuiz(c, 'module', place.moduleId);
  if (allModulesDone(c.progress, c.course)) return beginFinal(c);
  return [notice(c.turn, c.turn.t('course:quiz.pickLessonFirst'), [action(c.turn, 'resume', 'start', undefined, true), action(c.turn, 'modules', 'modules')])];
}

function beginFinal(c: Ctx): Reply[] {
  if (!allModulesDone(c.progress, c.course)) {
    const missing = c.course.modules
      .filter((m) => !c.progress.modulesDone[m.id])
      .map((m) => m.order)
      .join(', ');
    return [notice(c.turn, c.turn.t('course:final.locked', { modules: missing }), [action(c.turn, 'progress', 'progress', undefined, true), action(c.turn, 'resume', 'start')])];
  }
  const attempts = (c.progress.finalAttempts ??= []);
  const last = attempts.at(-1);
  // An attempt in progress is resumed where it was left (after a review, a restart or a lesson).
  if (last && !last.finishedAt) {
    const session = finalSession(last);
    if (session.index >= session.questionIds.length) return finishFinal(c, session);
    c.progress.place = { kind: 'quiz', session };
    return askCurrent(c, session, c.turn.t('course:final.resumed', { question: session.index + 1, questions: session.questionIds.length }));
  }
  if (c.progress.finalPassedAt) {
    return [notice(c.turn, c.turn.t('course:final.allDone'), [action(c.turn, 'certificate', 'certificate', undefined, true), action(c.turn, 'reviewAnswers', 'final.review', { page: '1' })])];
  }
  const retryAt = finalRetryAt(c);
  if (retryAt && retryAt > c.turn.now) {
    return [
      notice(c.turn, c.turn.t('course:final.coolingDown', { when: formatDate(retryAt, c.turn) }), [
        action(c.turn, 'reviewAnswers', 'final.review', { page: '1' }, true),
        action(c.turn, 'review', 'review'),
        action(c.turn, 'progress', 'progress'),
      ]),
    ];
  }
  const seen = new Set(attempts.flatMap((a) => a.questionIds));
  const id = `${attempts.length + 1}-${c.turn.now.getTime().toString(36)}`;
  const questionIds = drawFinal(
    finalBank(c.course),
    c.course.modules.map((m) => m.id),
    seen,
    `${c.turn.learner.key}\u0000${id}`,
  );
  if (!questionIds.length) return showNextUnfinished(c);
  const attempt: FinalAttempt = { id, startedAt: c.turn.now.toISOString(), questionIds, answers: {}, results: {} };
  attempts.push(attempt);
  const session = finalSession(attempt);
  c.progress.place = { kind: 'quiz', session };
  return askCurrent(c, session, [c.turn.t('course:final.intro', { count: questionIds.length }), c.turn.t('course:final.rules')].join(' '));
}

/** The quiz session of a final attempt: its questions, the answers so far, the first unanswered question. */
function finalSession(attempt: FinalAttempt): QuizSession {
  const answered = { ...attempt.results };
  const index = attempt.questionIds.findIndex((id) => !(id in answered));
  return { scope: 'final', owner: 'final', questionIds: attempt.questionIds, index: index < 0 ? attempt.questionIds.length : index, answered, attempt: attempt.id };
}

/** When the learner may start a new final attempt, or undefined when they may now (or the wait is off). */
function finalRetryAt(c: Ctx): Date | undefined {
  const hours = c.deps.finalCooldownHours ?? DEFAULT_FINAL_COOLDOWN_HOURS;
  const last = c.progress.finalAttempts?.at(-1);
  if (!hours || !last?.finishedAt) return undefined;
  return new Date(new Date(last.finishedAt).getTime() + hours * 3_600_000);
}

/** The attempt is over: score it, record it, and show the score with the per-module breakdown. */
function finishFinal(c: Ctx, session: QuizSession): Reply[] {
  const now = c.turn.now;
  const attempt = c.progress.finalAttempts?.find((a) => a.id === session.attempt);
  const score = scoreOf(session.answered, session.questionIds);
  const passed = score >= PASS_MARK;
  if (attempt) Object.assign(attempt, { finishedAt: attempt.finishedAt ?? now.toISOString(), score, passed });
  c.progress.quizScores.final = { score, passed, at: now.toISOString() };
  if (passed) c.progress.finalPassedAt ??= now.toISOString();
  c.progress.place = { kind: 'quiz-done', session };
  return [finishedSummary(c, session)];
}

function finishedSummary(c: Ctx, session: QuizSession): Reply {
  const retryAt = session.scope === 'final' ? finalRetryAt(c) : undefined;
  return summaryReply(c.turn, c.course, c.progress, session, retryAt && retryAt > c.turn.now ? { retryAt } : {});
}

/** The learner's answers of their last finished attempt, one module a page, with the correct answers. */
function finalReview(c: Ctx): Reply[] {
  const attempt = c.progress.finalAttempts?.filter((a) => a.finishedAt).at(-1);
  const open = c.progress.finalAttempts?.at(-1);
  if (!attempt || (open && !open.finishedAt)) {
    return [
      notice(c.turn, c.turn.t('course:final.noReviewYet'), [action(c.turn, 'continue', open && !open.finishedAt ? 'quiz' : 'start', open && !open.finishedAt ? { id: 'final' } : undefined, true)]),
    ];
  }
  return [finalReviewReply(c.turn, c.course, attempt, Number(c.turn.args.page ?? '1') || 1)];
}

function answer(c: Ctx): Reply[] {
  const { turn } = c;
  const questionId = turn.args.question ?? '';
  const place = c.progress.place;
  const session = place?.kind === 'quiz' ? place.session : undefined;
  const current = session?.questionIds[session.index];
  if (!session || current !== questionId || questionId in session.answered) {
    const continueAction = action(turn, 'continue', place?.kind === 'quiz' || place?.kind === 'quiz-done' ? 'next' : 'start', undefined, true);
    return [notice(turn, turn.t('course:quiz.alreadyAnswered'), [continueAction])];
  }
  const entry = c.index.questions.get(questionId)!;
  let grade: Grade;
  const chosen = parseAnswer(turn.args.answer);
  try {
    grade = gradeAnswer(entry.question, chosen);
  } catch (err) {
    if (!(err instanceof InvalidAnswerError)) throw err;
    return [questionReply(turn, c.course, session, entry.question, { notice: turn.t(`course:quiz.invalid.${err.reason}`) })];
  }
  session.answered[questionId] = grade.correct;
  if (session.scope === 'final') {
    // No right or wrong until the attempt is over: take the answer and ask the next question.
    const attempt = c.progress.finalAttempts?.find((a) => a.id === session.attempt);
    if (attempt) {
      attempt.answers[questionId] = chosen;
      attempt.results[questionId] = grade.correct;
    }
    const taken = finalAnswerReply(turn, session, entry.question, chosen);
    if (session.index + 1 >= session.questionIds.length) return [taken, ...finishFinal(c, session)];
    session.index++;
    return [taken, ...askCurrent(c, session)];
  }
  if (session.scope !== 'review') (c.progress.quizResults[entry.owner] ??= {})[questionId] = grade.correct;
  recordReviewAnswer(c.progress.reviews, questionId, grade.correct, turn.now);
  return [feedbackReply(turn, c.course, session, entry.question, grade)];
}

function hint(c: Ctx): Reply[] {
  const place = c.progress.place;
  const session = place?.kind === 'quiz' ? place.session : undefined;
  const current = session?.questionIds[session.index];
  // A typed "hint" names no question: it is for the one on screen.
  const questionId = c.turn.args.question ?? current ?? '';
  if (!session || !current || current !== questionId || questionId in session.answered) {
    const text = c.turn.t(session ? 'course:quiz.alreadyAnswered' : 'course:quiz.noQuestionOpen');
    return [notice(c.turn, text, [action(c.turn, 'continue', session ? 'next' : 'start', undefined, true)])];
  }
  const question = c.index.questions.get(questionId)!.question;
  // The hint button of a multiple-choice card submits the ticked boxes too: keep them ticked.
  const known = new Set(question.options.map((o) => o.id));
  const selected = (c.turn.args.answer ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => known.has(id));
  return [questionReply(c.turn, c.course, session, question, { hint: true, selected })];
}

function finishQuiz(c: Ctx, session: QuizSession): Reply[] {
  const now = c.turn.now;
  if (session.scope === 'final') return finishFinal(c, session);
  if (session.scope === 'lesson') {
    // A lesson is complete when its steps were shown and its quiz was taken.
    const lesson = c.index.lessons.get(session.owner)?.lesson;
    if (lesson && lessonStepsSeen(c.progress, lesson)) c.progress.lessonsDone[session.owner] ??= now.toISOString();
    refreshCompletion(c.progress, c.course, now);
  }
  if (session.scope === 'module') recordQuizScore(c.progress, c.course, session.owner, now);
  c.progress.place = { kind: 'quiz-done', session };
  return [summaryReply(c.turn, c.course, c.progress, session)];
}

function continueAfter(c: Ctx, session: QuizSession): Reply[] {
  if (session.scope === 'final') return c.progress.finalPassedAt ? showNextUnfinished(c) : [progressReply(c.turn, c.course, c.progress)];
  return show(c, placeAfter(c, session));
}

/** Where Continue leads after a finished quiz; undefined means the next unfinished part of the course. */
function placeAfter(c: Ctx, session: QuizSession): LearningPlace | undefined {
  if (session.scope === 'review') return session.returnTo;
  if (session.scope !== 'lesson') return undefined;
  const found = c.index.lessons.get(session.owner);
  if (!found) return undefined;
  const following = found.module.lessons.find((l) => l.order > found.lesson.order);
  return following ? { kind: 'step', lessonId: following.id, index: 0 } : { kind: 'reflection', moduleId: found.module.id };
}

function retryMissed(c: Ctx): Reply[] {
  const owner = c.turn.args.quiz ?? '';
  const entry = owner === 'final' ? 'final' : c.index.modules.has(owner) ? 'module' : c.index.lessons.has(owner) ? 'lesson' : undefined;
  if (!entry) return showCurrent(c);
  const results = c.progress.quizResults[owner] ?? {};
  const missed = quizQuestionIds(c.index, owner).filter((id) => results[id] !== true);
  // The final is never retried question by question: a new attempt draws a new set (after the wait).
  if (entry === 'final') return beginFinal(c);
  if (!missed.length) return [notice(c.turn, c.turn.t('course:quiz.nothingToRetry'), [action(c.turn, 'continue', 'next', undefined, true)])];
  return beginQuiz(c, entry, owner, missed, true);
}

// ── review ──────────────────────────────────────────────────────────────────────────────

function review(c: Ctx): Reply[] {
  const due = dueQuestionIds(c.progress.reviews, c.turn.now).filter((id) => c.index.questions.has(id));
  if (!due.length) {
    const upcoming = nextDue(c.progress.reviews);
    const text = upcoming ? c.turn.t('course:review.nothingDue', { when: formatDate(upcoming, c.turn) }) : c.turn.t('course:review.empty');
    return [notice(c.turn, text, [action(c.turn, 'resume', 'start', undefined, true), action(c.turn, 'progress', 'progress')])];
  }
  const place = c.progress.place;
  // A review returns to where the learner was, or to what would have followed a finished quiz.
  const returnTo: LearningPlace | undefined = !place ? undefined : place.kind === 'quiz-done' ? placeAfter(c, place.session) : place.kind === 'quiz' ? place.session.returnTo : place;
  const session: QuizSession = {
    scope: 'review',
    owner: 'review',
    questionIds: due.slice(0, REVIEW_BATCH),
    index: 0,
    answered: {},
    ...(returnTo ? { returnTo } : {}),
    attempt: c.turn.now.toISOString(),
  };
  c.progress.place = { kind: 'quiz', session };
  return askCurrent(c, session, c.turn.t('course:review.intro', { count: session.questionIds.length }));
}

// ── certificate ─────────────────────────────────────────────────────────────────────────

async function certificate(c: Ctx): Promise<Reply[]> {
  const { turn, progress, course } = c;
  if (!allModulesDone(progress, course) || !progress.finalPassedAt) {
    const modulesLeft = course.modules.filter((m) => !progress.modulesDone[m.id]).length;
    const text = modulesLeft ? turn.t('course:certificate.notYetModules', { count: modulesLeft }) : turn.t('course:certificate.notYetFinal');
    return [
      notice(turn, text, [
        action(turn, modulesLeft ? 'resume' : 'finalAssessment', modulesLeft ? 'start' : 'quiz', modulesLeft ? undefined : { id: 'final' }, true),
        action(turn, 'progress', 'progress'),
      ]),
    ];
  }
  const typed = turn.text.trim().replace(/\s+/g, ' ').slice(0, 120);
  if (typed && !progress.certificateId) progress.certificateName = typed;
  const name = progress.certificateName ?? turn.learner.name;
  if (!name) return [notice(turn, turn.t('course:certificate.askName'), [action(turn, 'progress', 'progress')])];
  const issued = await c.deps.certificates.issue({
    learnerKey: turn.learner.key,
    learnerName: name,
    lang: turn.lang,
    courseId: course.id,
    courseTitle: course.title,
    completedAt: progress.finalPassedAt,
    // The certificate states the duration computed from the content, and what was completed.
    estimatedMinutes: estimateCourse(course).total.minutes,
    modules: course.modules.filter((m) => progress.modulesDone[m.id]).map((m) => `${m.order}. ${m.title}`),
  });
  progress.certificateId = issued.id;
  return [certificateReply(turn, issued)];
}

// ── exercises and reflections ───────────────────────────────────────────────────────────

/** The exercise named by a button (it must be in a lesson of this course). */
function exerciseOf(c: Ctx): { found: NonNullable<ReturnType<CourseIndex['lessons']['get']>>; exercise: NonNullable<ReturnType<typeof findExercise>> } | undefined {
  const id = c.turn.args.exercise ?? '';
  const lessonId = id.slice(0, id.lastIndexOf('-x'));
  const found = c.index.lessons.get(lessonId);
  const exercise = found && findExercise(found.lesson, id);
  return found && exercise ? { found, exercise } : undefined;
}

/** The learner's typed answer to the open exercise: rubric feedback (the model's, when configured and in time). */
async function exerciseAnswer(c: Ctx, lessonId: string, exerciseId: string): Promise<Reply[] | undefined> {
  const found = c.index.lessons.get(lessonId);
  const exercise = found && findExercise(found.lesson, exerciseId);
  if (!found || !exercise) return undefined;
  const answer = c.turn.text;
  const result = assessAnswer(exercise, answer);
  const fromModel = await modelFeedback(c.turn, exercise, answer, result, { llm: await c.deps.llm?.(c.turn), budgetMs: c.deps.llmBudgetMs, onError: c.deps.onLlmError });
  recordAttempt(c.turn, exercise, answer, result, fromModel ? 'model' : 'rubric');
  return [exerciseFeedbackReply(c.turn, found.module, found.lesson, exercise, result, fromModel)];
}

function exerciseModel(c: Ctx): Reply[] {
  const x = exerciseOf(c);
  if (!x) return showCurrent(c);
  c.progress.place = { kind: 'exercise', lessonId: x.found.lesson.id, exerciseId: x.exercise.id };
  return [modelAnswerReply(c.turn, x.found.module, x.found.lesson, x.exercise)];
}

function exerciseHelp(c: Ctx): Reply[] {
  const x = exerciseOf(c);
  if (!x) return showCurrent(c);
  c.progress.place = { kind: 'exercise', lessonId: x.found.lesson.id, exerciseId: x.exercise.id };
  return [exerciseHelpReply(c.turn, x.found.module, x.found.lesson, x.exercise)];
}

function exerciseRetry(c: Ctx): Reply[] {
  const x = exerciseOf(c);
  if (!x) return showCurrent(c);
  c.progress.place = { kind: 'exercise', lessonId: x.found.lesson.id, exerciseId: x.exercise.id };
  return [exerciseReply(c.turn, x.found.module, x.found.lesson, x.exercise, c.turn.t('course:exercise.tryAgain'))];
}

/** The learner's typed reflection: kept as their work, acknowledged, then on to the module quiz. */
async function reflectionAnswer(c: Ctx, moduleId: string): Promise<Reply[] | undefined> {
  const module = c.index.modules.get(moduleId);
  if (!module) return undefined;
  recordReflection(c.turn, module.id, c.turn.text);
  const cohort = await c.deps.reflectionSharing?.cohortName(c.turn).catch(() => undefined);
  return [reflectionSavedReply(c.turn, module, cohort)];
}

/** Shares the learner's reflections on a module not yet shared, in their cohort's channel, and notes when. */
async function shareReflection(c: Ctx): Promise<Reply[]> {
  const module = c.index.modules.get(c.turn.args.module ?? '');
  const entries = module ? (workOf(c.turn).reflections[module.id] ?? []).filter((e) => !e.sharedAt) : [];
  const at = module ? { at: placeToken({ kind: 'reflection', moduleId: module.id }) } : undefined;
  const onward = module && c.progress.place?.kind === 'reflection' ? [action(c.turn, 'moduleQuiz', 'next', at, true)] : [action(c.turn, 'resume', 'start', undefined, true)];
  if (!module || !entries.length) return [notice(c.turn, c.turn.t('course:reflection.nothingToShare'), onward)];
  const shared = c.deps.reflectionSharing ? await c.deps.reflectionSharing.share(c.turn, module, entries.map((e) => e.text).join('\n\n')).catch(() => false) : false;
  if (shared) for (const e of entries) e.sharedAt = c.turn.now.toISOString();
  return [notice(c.turn, c.turn.t(shared ? 'course:reflection.sharedDone' : 'course:reflection.shareFailed'), onward)];
}
