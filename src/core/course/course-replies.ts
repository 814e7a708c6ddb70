import type { Action, Reply, ReplyItem } from '../../intents/reply';
import type { Turn } from '../turn';
import type { Course, CourseModule, Lesson, QuizQuestion } from './content-model';
import { indexOf, quizQuestionIds } from './course-index';
import { PASS_MARK, type Grade } from './grading';
import { allModulesDone, certificateEligible, lessonCounts, placeToken, type CourseProgress, type FinalAttempt, type QuizSession } from './progress-state';
import { dueQuestionIds, nextDue } from './review-schedule';
import { shownOptions } from './final-bank';

/** Reply builders for the course: every reply reads well as plain text with numbered choices. */

const pct = (score: number) => Math.round(score * 100);

export function action(turn: Turn, key: string, command: string, args?: Record<string, string>, primary = false): Action {
  return { label: turn.t(`course:actions.${key}`), command, ...(args ? { args } : {}), ...(primary ? { style: 'primary' as const } : {}) };
}

export function aboutStepReply(turn: Turn, course: Course, index: number): Reply {
  const step = course.about[index];
  const last = index === course.about.length - 1;
  const at = { at: placeToken({ kind: 'about', index }) };
  return turn.reply({
    intent: 'show-step',
    title: step.title,
    text: step.body,
    position: turn.t('course:position.about', { step: index + 1, steps: course.about.length }),
    actions: [action(turn, last ? 'startLesson' : 'next', 'next', at, true), ...(index > 0 ? [action(turn, 'back', 'back', at)] : []), action(turn, 'repeat', 'repeat')],
  });
}

export function lessonStepReply(turn: Turn, module: CourseModule, lesson: Lesson, index: number): Reply {
  const step = lesson.steps[index];
  const last = index === lesson.steps.length - 1;
  const at = { at: placeToken({ kind: 'step', lessonId: lesson.id, index }) };
  return turn.reply({
    intent: 'show-step',
    title: index === 0 ? `${lesson.title}: ${step.title}` : step.title,
    text: step.body,
    position: turn.t('course:position.step', { module: module.order, lesson: lesson.order, lessons: module.lessons.length, step: index + 1, steps: lesson.steps.length }),
    actions: [
      action(turn, last ? (lesson.exercises?.length ? 'startExercise' : 'takeQuiz') : 'next', 'next', at, true),
      action(turn, 'back', 'back', at),
      action(turn, 'repeat', 'repeat'),
      // Answered by the Q&A feature's "explain" route, grounded in this step; `at` comes back on its Next.
      action(turn, 'explain', 'explain', { step: step.id, ...at }),
    ],
  });
}

/**
 * Buttons that lead from an aside (an explanation of the step) back into the course: the step
 * again, or the next one. `at` is the place the step's button carried, so a second press of Next
 * does not skip a step.
 */
export function stepNavigationActions(turn: Turn, at?: string): Action[] {
  return [action(turn, 'next', 'next', at ? { at } : undefined, true), action(turn, 'backToStep', 'repeat')];
}

export function reflectionReply(turn: Turn, module: CourseModule): Reply {
  const at = { at: placeToken({ kind: 'reflection', moduleId: module.id }) };
  return turn.reply({
    intent: 'reflection',
    title: turn.t('course:reflection.title', { module: module.title }),
    text: [module.reflection, turn.t('course:reflection.after')].join('\n\n'),
    position: turn.t('course:position.reflection', { module: module.order }),
    actions: [action(turn, 'moduleQuiz', 'next', at, true), action(turn, 'back', 'back', at)],
  });
}

function quizPosition(turn: Turn, course: Course, session: QuizSession): string {
  const index = indexOf(course);
  const vars = { question: session.index + 1, questions: session.questionIds.length };
  if (session.scope === 'lesson') {
    const found = index.lessons.get(session.owner)!;
    return turn.t('course:position.lessonQuiz', { ...vars, module: found.module.order, lesson: found.lesson.order });
  }
  if (session.scope === 'module') return turn.t('course:position.moduleQuiz', { ...vars, module: index.modules.get(session.owner)!.order });
  return turn.t(`course:position.${session.scope}`, vars);
}

export function questionKey(session: QuizSession, questionId: string): string {
  return `quiz:${session.owner}:${questionId}`;
}

export function questionReply(turn: Turn, course: Course, session: QuizSession, question: QuizQuestion, options: { hint?: boolean; notice?: string; selected?: string[] } = {}): Reply {
  const t = turn.t;
  const letters = t('course:quiz.letters').split(',');
  const multiple = question.type === 'multiple';
  const text = [options.notice, question.prompt, multiple ? t('course:quiz.selectAll') : undefined, options.hint && question.hint ? `**${t('course:quiz.hint')}:** ${question.hint}` : undefined]
    .filter(Boolean)
    .join('\n\n');
  const key = questionKey(session, question.id);
  return turn.reply({
    intent: 'ask-question',
    title: t(`course:quiz.title.${session.scope}`),
    text,
    position: quizPosition(turn, course, session),
    choices: {
      selection: multiple ? 'multiple' : 'single',
      command: 'quiz.answer',
      args: { question: question.id },
      // Shuffled per learner and attempt (the same on every re-render); buttons and typed numbers carry the option id.
      options: shownOptions(question, turn.learner.key, session.attempt ?? session.owner).map((o, i) => ({ id: o.id, label: o.text, ...(letters[i] ? { letter: letters[i] } : {}) })),
      ...(options.selected?.length ? { selected: options.selected } : {}),
      ...(multiple ? { submitLabel: t('course:actions.submit') } : {}),
      inputLabel: t('course:quiz.inputLabel'),
    },
    actions: question.hint && !options.hint ? [action(turn, 'hint', 'quiz.hint', { question: question.id })] : [],
    key,
    ...(options.hint || options.notice ? { replaces: key } : {}),
    summary: question.prompt,
  });
}

export function feedbackReply(turn: Turn, course: Course, session: QuizSession, question: QuizQuestion, grade: Grade): Reply {
  const t = turn.t;
  const lastQuestion = session.index >= session.questionIds.length - 1;
  const list = (options: { text: string }[]) => options.map((o) => o.text).join('; ');
  const feedbackLines = [...grade.selected, ...grade.missed].filter((o) => o.feedback).map((o) => `- ${o.text}: ${o.feedback}`);
  const parts = [
    `**${t('course:quiz.yourAnswer')}:** ${list(grade.selected)}`,
    ...(grade.correct ? [] : [`**${t(grade.correctOptions.length > 1 ? 'course:quiz.correctAnswers' : 'course:quiz.correctAnswer')}:** ${list(grade.correctOptions)}`]),
    ...(question.type === 'multiple' && !grade.correct && grade.missed.length && !grade.wrong.length ? [t('course:quiz.partial')] : []),
    ...(feedbackLines.length ? [feedbackLines.join('\n')] : []),
    question.explanation,
    ...(!grade.correct && session.scope !== 'review' ? [t('course:quiz.addedToReview')] : []),
  ];
  return turn.reply({
    intent: 'quiz-feedback',
    title: grade.correct ? t('course:quiz.correct') : t('course:quiz.incorrect'),
    text: parts.join('\n\n'),
    position: quizPosition(turn, course, session),
    actions: [action(turn, lastQuestion ? 'seeScore' : 'nextQuestion', 'next', { at: placeToken({ kind: 'quiz', session }) }, true)],
    replaces: questionKey(session, question.id),
    summary: `${grade.correct ? t('course:quiz.correct') : t('course:quiz.incorrect')} ${question.prompt}`.slice(0, 300),
  });
}

export function summaryReply(turn: Turn, course: Course, progress: CourseProgress, session: QuizSession, extra: { retryAt?: Date } = {}): Reply {
  const t = turn.t;
  const answered = session.questionIds.filter((id) => id in session.answered);
  const right = answered.filter((id) => session.answered[id]).length;
  const total = session.questionIds.length;
  // The score itself is the reply's progress line ("Correct answers: 2 of 3"): not repeated in the text.
  const lines: string[] = [];
  let passed = true;
  if (session.scope === 'module' || session.scope === 'final') {
    const score = progress.quizScores[session.owner];
    passed = score?.passed === true;
    if (session.retry) lines.push(t('course:summary.overall', { percent: pct(score?.score ?? 0) }));
    lines.push(t(passed ? 'course:summary.passed' : session.scope === 'final' ? 'course:final.notPassed' : 'course:summary.notPassed', { pass: pct(PASS_MARK) }));
    if (session.scope === 'module' && passed && !progress.modulesDone[session.owner]) lines.push(t('course:summary.lessonsMissing'));
    if (session.scope === 'final' && passed) lines.push(t('course:summary.certificateReady'));
  }
  if (session.scope === 'final') {
    lines.push(finalBreakdown(turn, course, session));
    if (!passed && extra.retryAt) lines.push(t('course:final.retryFrom', { when: formatDate(extra.retryAt, turn) }));
    if (!passed && !extra.retryAt) lines.push(t('course:final.retryNow'));
  }
  if (session.scope === 'lesson' && !progress.lessonsDone[session.owner]) lines.push(t('course:summary.stepsUnread'));
  if (right < total && session.scope !== 'review' && session.scope !== 'final') lines.push(t('course:summary.missedToReview'));
  const index = indexOf(course);
  const results = progress.quizResults[session.owner] ?? {};
  // "Retry missed" is for lesson and module quizzes: the final is retaken as a new attempt.
  const missed = session.scope === 'review' || session.scope === 'final' ? [] : quizQuestionIds(index, session.owner).filter((id) => results[id] !== true);
  const actions: Action[] = [];
  if (session.scope === 'final' && passed) actions.push(action(turn, 'certificate', 'certificate', undefined, true));
  actions.push(action(turn, 'continue', 'next', { at: placeToken({ kind: 'quiz-done', session }) }, !(session.scope === 'final' && passed)));
  if (missed.length) actions.push(action(turn, 'retryMissed', 'quiz.retry', { quiz: session.owner }));
  if (session.scope === 'final') actions.push(action(turn, 'reviewAnswers', 'final.review', { page: '1' }));
  return turn.reply({
    intent: 'quiz-summary',
    title: t(`course:summary.title.${session.scope}`),
    ...(lines.length ? { text: lines.join('\n\n') } : {}),
    progress: { done: right, total, label: t('course:summary.label') },
    summary: [t(`course:summary.title.${session.scope}`), t('course:summary.score', { right, total, percent: pct(total ? right / total : 0) })].join(': '),
    actions,
  });
}

/** "Module 1: 3 of 4" for each module the attempt drew questions from. */
function finalBreakdown(turn: Turn, course: Course, session: QuizSession): string {
  const index = indexOf(course);
  const lines = course.modules.flatMap((m) => {
    const ids = session.questionIds.filter((id) => index.questions.get(id)?.module?.id === m.id);
    if (!ids.length) return [];
    const right = ids.filter((id) => session.answered[id]).length;
    return [`- ${turn.t('course:final.moduleLine', { module: m.order, title: m.title, right, total: ids.length })}`];
  });
  return [`**${turn.t('course:final.breakdown')}**`, ...lines].join('\n');
}

/** During the final: the answer is taken, with no hint of whether it was right. */
export function finalAnswerReply(turn: Turn, session: QuizSession, question: QuizQuestion, chosen: string[]): Reply {
  const texts = question.options
    .filter((o) => chosen.includes(o.id))
    .map((o) => o.text)
    .join('; ');
  return turn.reply({
    intent: 'quiz-feedback',
    title: turn.t('course:final.answerRecorded'),
    text: `**${turn.t('course:quiz.yourAnswer')}:** ${texts}`,
    replaces: questionKey(session, question.id),
    summary: `${turn.t('course:final.answerRecorded')} ${question.prompt}`.slice(0, 300),
  });
}

/** After an attempt: one module's questions with the learner's answers, the correct ones and the explanations. */
export function finalReviewReply(turn: Turn, course: Course, attempt: FinalAttempt, page: number): Reply {
  const index = indexOf(course);
  const modules = course.modules.filter((m) => attempt.questionIds.some((id) => index.questions.get(id)?.module?.id === m.id));
  const at = Math.min(Math.max(page, 1), Math.max(modules.length, 1));
  const module = modules[at - 1];
  const ids = module ? attempt.questionIds.filter((id) => index.questions.get(id)?.module?.id === module.id) : [];
  const list = (options: { text: string }[]) => options.map((o) => o.text).join('; ') || '–';
  const blocks = ids.flatMap((id) => {
    const question = index.questions.get(id)?.question;
    if (!question) return [];
    const chosen = question.options.filter((o) => (attempt.answers[id] ?? []).includes(o.id));
    const mark = attempt.results[id] ? '✓' : '✗';
    return [
      [
        `**${mark} ${question.prompt}**`,
        `${turn.t('course:quiz.yourAnswer')}: ${list(chosen)}`,
        `${turn.t(question.options.filter((o) => o.correct).length > 1 ? 'course:quiz.correctAnswers' : 'course:quiz.correctAnswer')}: ${list(question.options.filter((o) => o.correct))}`,
        question.explanation,
      ].join('\n\n'),
    ];
  });
  const actions: Action[] = [];
  if (at < modules.length) actions.push(action(turn, 'nextModuleAnswers', 'final.review', { page: String(at + 1) }, true));
  actions.push(action(turn, 'continue', 'start', undefined, at >= modules.length));
  return turn.reply({
    intent: 'notice',
    title: turn.t('course:final.reviewTitle', { module: module?.order ?? '', title: module?.title ?? '' }),
    text: blocks.join('\n\n---\n\n'),
    position: turn.t('course:final.reviewPosition', { page: at, pages: modules.length }),
    actions,
  });
}

function moduleBadge(progress: CourseProgress, module: CourseModule): string {
  if (progress.modulesDone[module.id]) return '✓';
  return `${module.lessons.filter((l) => progress.lessonsDone[l.id]).length}/${module.lessons.length}`;
}

export function courseMapReply(turn: Turn, course: Course, progress: CourseProgress): Reply {
  const t = turn.t;
  const items: ReplyItem[] = course.modules.map((m) => ({
    title: t('course:map.module', { order: m.order, title: m.title }),
    text: m.summary,
    badge: moduleBadge(progress, m),
    action: { label: t('course:actions.openModule', { order: m.order }), command: 'module.open', args: { module: m.id } },
  }));
  if (allModulesDone(progress, course)) {
    items.push({ title: t('course:map.final'), badge: progress.finalPassedAt ? '✓' : undefined, action: { label: t('course:actions.finalAssessment'), command: 'quiz', args: { id: 'final' } } });
  }
  return turn.reply({
    intent: 'course-map',
    title: course.title,
    text: t('course:map.intro'),
    items,
    actions: [action(turn, 'resume', 'start', undefined, true), action(turn, 'progress', 'progress')],
  });
}

export function moduleReply(turn: Turn, module: CourseModule, progress: CourseProgress): Reply {
  const t = turn.t;
  const items: ReplyItem[] = module.lessons.map((l) => ({
    title: t('course:map.lesson', { order: l.order, title: l.title }),
    badge: progress.lessonsDone[l.id] ? '✓' : undefined,
    action: { label: t('course:actions.openLesson', { order: l.order }), command: 'lesson.open', args: { lesson: l.id } },
  }));
  const score = progress.quizScores[module.id];
  const quizText = score ? t(score.passed ? 'course:map.quizPassed' : 'course:map.quizNotPassed', { percent: pct(score.score) }) : t('course:map.quizNotTaken');
  return turn.reply({
    intent: 'course-map',
    title: t('course:map.module', { order: module.order, title: module.title }),
    text: [module.intro ?? module.summary, quizText].join('\n\n'),
    position: t('course:position.module', { module: module.order }),
    items,
    actions: [action(turn, 'reflection', 'reflection', { module: module.id }), action(turn, 'moduleQuiz', 'quiz', { id: module.id }), action(turn, 'modules', 'modules')],
  });
}

/** Where the learner is, in the words of the card they would see there ("Module 1 · Lesson 2 of 4 · Step 3 of 5"), with the lesson title. */
function placeDescription(turn: Turn, course: Course, progress: CourseProgress): string | undefined {
  const place = progress.place;
  if (!place) return undefined;
  const index = indexOf(course);
  const t = turn.t;
  switch (place.kind) {
    case 'about':
      return t('course:position.about', { step: place.index + 1, steps: course.about.length });
    case 'step': {
      const found = index.lessons.get(place.lessonId);
      if (!found) return undefined;
      const position = t('course:position.step', {
        module: found.module.order,
        lesson: found.lesson.order,
        lessons: found.module.lessons.length,
        step: place.index + 1,
        steps: found.lesson.steps.length,
      });
      return t('course:progress.placeInLesson', { position, title: found.lesson.title });
    }
    case 'reflection': {
      const module = index.modules.get(place.moduleId);
      return module ? t('course:progress.placeInLesson', { position: t('course:position.reflection', { module: module.order }), title: module.title }) : undefined;
    }
    case 'exercise': {
      const found = index.lessons.get(place.lessonId);
      const list = found?.lesson.exercises ?? [];
      const at = list.findIndex((x) => x.id === place.exerciseId);
      if (!found || at < 0) return undefined;
      const position = t('course:position.exercise', { module: found.module.order, lesson: found.lesson.order, exercise: at + 1, exercises: list.length });
      return t('course:progress.placeInLesson', { position, title: found.lesson.title });
    }
    case 'quiz':
    case 'quiz-done': {
      const position = place.kind === 'quiz' ? quizPosition(turn, course, place.session) : t(`course:summary.title.${place.session.scope}`);
      const lesson = place.session.scope === 'lesson' ? index.lessons.get(place.session.owner)?.lesson : undefined;
      return lesson ? t('course:progress.placeInLesson', { position, title: lesson.title }) : position;
    }
  }
}

/** Lessons begun (a step past the first seen, or a quiz answer given) but not completed. */
function lessonsInProgress(turn: Turn, course: Course, progress: CourseProgress): string[] {
  const out: string[] = [];
  for (const module of course.modules) {
    for (const lesson of module.lessons) {
      if (progress.lessonsDone[lesson.id]) continue;
      const seen = progress.stepsSeen?.[lesson.id];
      const answers = Object.keys(progress.quizResults[lesson.id] ?? {}).length;
      if (seen === undefined && !answers) continue;
      const detail = answers
        ? turn.t('course:progress.quizStarted', { count: answers, questions: lesson.quiz.length })
        : turn.t('course:progress.stepReached', { step: (seen ?? 0) + 1, steps: lesson.steps.length });
      out.push(turn.t('course:progress.lessonInProgress', { module: module.order, lesson: lesson.order, title: lesson.title, detail }));
    }
  }
  return out;
}

export function progressReply(turn: Turn, course: Course, progress: CourseProgress): Reply {
  const t = turn.t;
  const lessons = lessonCounts(progress, course);
  const due = dueQuestionIds(progress.reviews, turn.now).length;
  const upcoming = nextDue(progress.reviews);
  const modulesDone = course.modules.filter((m) => progress.modulesDone[m.id]).length;
  const final = progress.quizScores.final;
  const finalText = progress.finalPassedAt
    ? t('course:progress.finalPassed', { percent: pct(final?.score ?? 1) })
    : allModulesDone(progress, course)
      ? final
        ? t('course:progress.finalNotPassed', { percent: pct(final.score) })
        : t('course:progress.finalAvailable')
      : t('course:progress.finalLocked');
  const answers = Object.values(progress.quizResults).flatMap((byQuestion) => Object.values(byQuestion));
  const started = Boolean(progress.place) || lessons.done > 0 || answers.length > 0;
  const inProgress = lessonsInProgress(turn, course, progress);
  const items: ReplyItem[] = course.modules.map((m) => {
    const score = progress.quizScores[m.id];
    return {
      title: t('course:map.module', { order: m.order, title: m.title }),
      text: t('course:progress.moduleLine', {
        done: m.lessons.filter((l) => progress.lessonsDone[l.id]).length,
        total: m.lessons.length,
        quiz: score ? `${pct(score.score)}%` : '–',
      }),
      badge: moduleBadge(progress, m),
    };
  });
  const eligible = certificateEligible(progress, course);
  const actions: Action[] = [];
  // The one next thing to do comes first: start, continue, or collect the certificate.
  if (eligible) actions.push(action(turn, 'certificate', 'certificate', undefined, true));
  else actions.push(action(turn, started ? 'resume' : 'startCourse', 'start', undefined, true));
  if (due) actions.push(action(turn, 'review', 'review'));
  if (allModulesDone(progress, course) && !progress.finalPassedAt) actions.push(action(turn, 'finalAssessment', 'quiz', { id: 'final' }));
  actions.push(action(turn, 'modules', 'modules'));
  const here = placeDescription(turn, course, progress);
  return turn.reply({
    intent: 'progress',
    title: t('course:progress.title'),
    text: started ? undefined : t('course:progress.notStarted'),
    ...(here ? { position: t('course:progress.youAreHere', { place: here }) } : {}),
    progress: { done: lessons.done, total: lessons.total, label: t('course:progress.lessons') },
    facts: [
      ...(inProgress.length ? [{ label: t('course:progress.inProgress'), value: inProgress.join('\n') }] : []),
      { label: t('course:progress.answers'), value: t('course:progress.answersValue', { count: answers.length, right: answers.filter(Boolean).length }) },
      { label: t('course:progress.modulesDone'), value: `${modulesDone}/${course.modules.length}` },
      { label: t('course:progress.reviewsDue'), value: String(due) },
      ...(!due && upcoming ? [{ label: t('course:progress.nextReview'), value: formatDate(upcoming, turn) }] : []),
      { label: t('course:progress.final'), value: finalText },
    ],
    items,
    actions,
    summary: here ? t('course:progress.summaryAt', { done: lessons.done, total: lessons.total, due, place: here }) : t('course:progress.summary', { done: lessons.done, total: lessons.total, due }),
  });
}

export function notice(turn: Turn, text: string, actions: Action[] = []): Reply {
  return turn.reply({ intent: 'notice', text, actions });
}

/** Formatters by language and time zone: building one costs far more than formatting with it. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function formatDate(date: Date, turn: Turn): string {
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
  const key = `${turn.lang}|${turn.learner.timezone ?? ''}`;
  let format = dateFormats.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(turn.lang, { ...options, timeZone: turn.learner.timezone });
    } catch {
      format = new Intl.DateTimeFormat(turn.lang, options);
    }
    if (dateFormats.size < 500) dateFormats.set(key, format);
  }
  return format.format(date);
}
