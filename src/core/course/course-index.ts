import type { Course, CourseModule, Lesson, QuizQuestion } from './content-model';
import { finalBank } from './final-bank';

export type QuizScope = 'lesson' | 'module' | 'final' | 'review';

export interface QuestionEntry {
  question: QuizQuestion;
  /** The quiz the question belongs to: a lesson id, a module id or "final". */
  owner: string;
  scope: Exclude<QuizScope, 'review'>;
  module?: CourseModule;
  lesson?: Lesson;
}

export interface CourseIndex {
  course: Course;
  lessons: Map<string, { lesson: Lesson; module: CourseModule }>;
  modules: Map<string, CourseModule>;
  questions: Map<string, QuestionEntry>;
}

const cache = new WeakMap<Course, CourseIndex>();

/** Lookups by id for one course (built once per loaded course). */
export function indexOf(course: Course): CourseIndex {
  let index = cache.get(course);
  if (index) return index;
  index = { course, lessons: new Map(), modules: new Map(), questions: new Map() };
  for (const module of course.modules) {
    index.modules.set(module.id, module);
    for (const question of module.quiz) index.questions.set(question.id, { question, owner: module.id, scope: 'module', module });
    for (const lesson of module.lessons) {
      index.lessons.set(lesson.id, { lesson, module });
      for (const question of lesson.quiz) index.questions.set(question.id, { question, owner: lesson.id, scope: 'lesson', module, lesson });
    }
  }
  // The final's item bank: module.md `assessment` items and final.md's items, each with its module.
  for (const { question, moduleId } of finalBank(course)) index.questions.set(question.id, { question, owner: 'final', scope: 'final', module: index.modules.get(moduleId) });
  cache.set(course, index);
  return index;
}

/** The question ids of a quiz owner (lesson id, module id or "final"). */
export function quizQuestionIds(index: CourseIndex, owner: string): string[] {
  if (owner === 'final') return index.course.finalAssessment.map((q) => q.id);
  const module = index.modules.get(owner);
  if (module) return module.quiz.map((q) => q.id);
  return index.lessons.get(owner)?.lesson.quiz.map((q) => q.id) ?? [];
}

export function allLessons(course: Course): Lesson[] {
  return course.modules.flatMap((m) => m.lessons);
}
