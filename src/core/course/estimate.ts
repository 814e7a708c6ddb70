import type { Course, CourseModule } from './content-model';
import { FINAL_PER_MODULE, finalBank } from './final-bank';

/**
 * How long the course takes a learner, computed from the content rather than copied from a
 * brochure. The assumptions are stated wherever the figure is shown (`npm run course:stats`):
 * reading speed for lesson text, a fixed time per quiz question (reading it, choosing, reading
 * the feedback), per practice exercise (writing an answer, reading the rubric feedback, one
 * retry) and per module reflection (thinking and writing a few lines or discussing it).
 */
export const ESTIMATE_ASSUMPTIONS = {
  /** Careful reading of instructional text by adults, below the ~240 of leisure reading. */
  wordsPerMinute: 180,
  secondsPerQuestion: 45,
  /** Reading the material (up to ~220 words), writing an answer, reading the rubric feedback, one retry. */
  minutesPerExercise: 10,
  /** A module's reflection is a discussion prompt: thinking it through and writing a paragraph (a group discussion takes longer). */
  minutesPerReflection: 15,
} as const;

export interface TimeEstimate {
  /** Words of lesson steps (and of the "about" steps and module introductions). */
  words: number;
  steps: number;
  /** Lesson and module quiz questions, and one attempt at the final assessment. */
  questions: number;
  exercises: number;
  reflections: number;
  minutes: number;
}

export interface ModuleEstimate extends TimeEstimate {
  id: string;
  order: number;
  title: string;
  lessons: number;
}

export interface CourseEstimate {
  total: TimeEstimate;
  about: TimeEstimate;
  modules: ModuleEstimate[];
  final: TimeEstimate;
}

export const countWords = (text: string | undefined): number => (text ? text.split(/\s+/).filter(Boolean).length : 0);

function minutesOf(e: Omit<TimeEstimate, 'minutes'>): number {
  const a = ESTIMATE_ASSUMPTIONS;
  return e.words / a.wordsPerMinute + (e.questions * a.secondsPerQuestion) / 60 + e.exercises * a.minutesPerExercise + e.reflections * a.minutesPerReflection;
}

function estimate(parts: Omit<TimeEstimate, 'minutes'>): TimeEstimate {
  return { ...parts, minutes: minutesOf(parts) };
}

function moduleEstimate(module: CourseModule): ModuleEstimate {
  const steps = module.lessons.flatMap((l) => l.steps);
  return {
    id: module.id,
    order: module.order,
    title: module.title,
    lessons: module.lessons.length,
    ...estimate({
      words: steps.reduce((n, s) => n + countWords(s.body), countWords(module.intro)),
      steps: steps.length,
      questions: module.lessons.reduce((n, l) => n + l.quiz.length, module.quiz.length),
      exercises: module.lessons.reduce((n, l) => n + (l.exercises?.length ?? 0), 0),
      reflections: module.reflection ? 1 : 0,
    }),
  };
}

/** The estimated learner time of a course, per module and in total. */
export function estimateCourse(course: Course): CourseEstimate {
  const about = estimate({ words: course.about.reduce((n, s) => n + countWords(s.body), countWords(course.description)), steps: course.about.length, questions: 0, exercises: 0, reflections: 0 });
  const modules = course.modules.map(moduleEstimate);
  // One attempt at the final: the questions drawn from the bank (FINAL_PER_MODULE per module), not the whole bank.
  const finalQuestions = Math.min(finalBank(course).length, FINAL_PER_MODULE * course.modules.length);
  const final = estimate({ words: 0, steps: 0, questions: finalQuestions, exercises: 0, reflections: 0 });
  const parts = [about, ...modules, final];
  const sum = (key: keyof Omit<TimeEstimate, 'minutes'>) => parts.reduce((n, p) => n + p[key], 0);
  const total = estimate({ words: sum('words'), steps: sum('steps'), questions: sum('questions'), exercises: sum('exercises'), reflections: sum('reflections') });
  return { total, about, modules, final };
}

/** Whole hours for "about N hours" (at least 1). */
export function roundedHours(minutes: number): number {
  return Math.max(1, Math.round(minutes / 60));
}
