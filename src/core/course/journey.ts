import type { CertificateIssuer } from '../../ports/certificates';
import type { CommandRegistry } from '../command-registry';
import type { Reply } from '../reply';
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
  reflectionReply,
  summaryReply,
} from './course-replies';
import { certificateReply } from './certificate-reply';
import { gradeAnswer, InvalidAnswerError, parseAnswer } from './grading';
import {
  allModulesDone,
  COURSE_SLICE,
  newCourseProgress,
  recordQuizScore,
  refreshCompletion,
  type CourseProgress,
  type LearningPlace,
  type Place,
  placeToken,
  type QuizSession,
} from './progress-state';
import { dueQuestionIds, nextDue, recordReviewAnswer } from './review-schedule';

export interface CourseDeps {
  catalog: CourseCatalog;
  certificates: CertificateIssuer;
}

const REVIEW_BATCH = 10;

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
      if (!found || !found.lesson.steps[place.index]) return showNextUnfinished(c);
      const seen = (c.progress.stepsSeen ??= {});
      seen[place.lessonId] = Math.max(seen[place.lessonId] ?? 0, place.index);
      return [lessonStepReply(c.turn, found.module, found.lesson, place.index)];
    }
    case 'reflection': {
      const module = c.index.modules.get(place.moduleId);
      return module ? [reflectionReply(c.turn, module)] : showNextUnfinished(c);
    }
    case 'quiz': {
      const { session } = place;
      if (session.questionIds[session.index] in session.answered) return [notice(c.turn, c.turn.t('course:quiz.answeredPressNext'), [action(c.turn, 'nextQuestion', 'next', undefined, true)])];
      return askCurrent(c, session);
    }
    case 'quiz-done':
      return [summaryReply(c.turn, c.course, c.progress, place.session)];
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
      return found ? beginQuiz(c, 'lesson', place.lessonId) : showNextUnfinished(c);
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
    case 'quiz':
    case 'quiz-done': {
      const { session } = place;
      if (session.scope === 'lesson') {
        const lesson = c.index.lessons.get(session.owner)?.lesson;
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
  const session: QuizSession = { scope, owner, questionIds, index: 0, answered: {}, ...(retry ? { retry } : {}) };
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
  if (place?.kind === 'reflection') return beginQuiz(c, 'module', place.moduleId);
  if (allModulesDone(c.progress, c.course)) return beginFinal(c);
  return [notice(c.turn, c.turn.t('course:quiz.pickLessonFirst'), [action(c.turn, 'resume', 'start', undefined, true), action(c.turn, 'modules', 'modules')])];
}

function beginFinal(c: Ctx): Reply[] {
  if (!allModulesDone(c.progress, c.course)) {
    const missing = c.course.modules.filter((m) => !c.progress.modulesDone[m.id]).map((m) => m.order).join(', ');
    return [notice(c.turn, c.turn.t('course:final.locked', { modules: missing }), [action(c.turn, 'progress', 'progress', undefined, true), action(c.turn, 'resume', 'start')])];
  }
  return beginQuiz(c, 'final', 'final');
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
  let grade;
  try {
    grade = gradeAnswer(entry.question, parseAnswer(turn.args.answer));
  } catch (err) {
    if (!(err instanceof InvalidAnswerError)) throw err;
    return [questionReply(turn, c.course, session, entry.question, { notice: turn.t(`course:quiz.invalid.${err.reason}`) })];
  }
  session.answered[questionId] = grade.correct;
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
  const selected = (c.turn.args.answer ?? '').split(',').map((id) => id.trim()).filter((id) => known.has(id));
  return [questionReply(c.turn, c.course, session, question, { hint: true, selected })];
}

function finishQuiz(c: Ctx, session: QuizSession): Reply[] {
  const now = c.turn.now;
  if (session.scope === 'lesson') {
    c.progress.lessonsDone[session.owner] ??= now.toISOString();
    refreshCompletion(c.progress, c.course, now);
  }
  if (session.scope === 'module' || session.scope === 'final') recordQuizScore(c.progress, c.course, session.owner, now);
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
  if (!missed.length) return [notice(c.turn, c.turn.t('course:quiz.nothingToRetry'), [action(c.turn, 'continue', 'next', undefined, true)])];
  if (entry === 'final' && !allModulesDone(c.progress, c.course)) return beginFinal(c);
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
  const session: QuizSession = { scope: 'review', owner: 'review', questionIds: due.slice(0, REVIEW_BATCH), index: 0, answered: {}, ...(returnTo ? { returnTo } : {}) };
  c.progress.place = { kind: 'quiz', session };
  return askCurrent(c, session, c.turn.t('course:review.intro', { count: session.questionIds.length }));
}

// ── certificate ─────────────────────────────────────────────────────────────────────────

async function certificate(c: Ctx): Promise<Reply[]> {
  const { turn, progress, course } = c;
  if (!allModulesDone(progress, course) || !progress.finalPassedAt) {
    const modulesLeft = course.modules.filter((m) => !progress.modulesDone[m.id]).length;
    const text = modulesLeft ? turn.t('course:certificate.notYetModules', { count: modulesLeft }) : turn.t('course:certificate.notYetFinal');
    return [notice(turn, text, [action(turn, modulesLeft ? 'resume' : 'finalAssessment', modulesLeft ? 'start' : 'quiz', modulesLeft ? undefined : { id: 'final' }, true), action(turn, 'progress', 'progress')])];
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
  });
  progress.certificateId = issued.id;
  return [certificateReply(turn, issued)];
}
