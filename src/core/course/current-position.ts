import type { Language } from '../../config/config-schema';
import type { LearnerRecord } from '../learner';
import type { CourseCatalog, CourseModule, Lesson, QuizQuestion, Step } from './content-model';
import { indexOf } from './course-index';
import { progressOf, type Place } from './progress-state';

/** Where a learner is in the course, for features such as Q&A "explain more". */
export interface CoursePosition {
  kind: 'none' | 'about' | 'step' | 'reflection' | 'exercise' | 'quiz' | 'quiz-done';
  module?: CourseModule;
  lesson?: Lesson;
  step?: Step;
  /** The question on screen (or just answered) during a quiz. */
  question?: QuizQuestion;
}

/** The learner's current lesson/step/question, resolved in the learner's course language. */
export function currentPosition(learner: LearnerRecord, catalog: CourseCatalog, lang: Language = learner.language ?? 'en'): CoursePosition {
  const course = catalog.get(lang);
  const place: Place | undefined = progressOf(learner.data).place;
  const index = indexOf(course);
  if (!place) return { kind: 'none' };
  switch (place.kind) {
    case 'about':
      return { kind: 'about', step: course.about[place.index] };
    case 'step': {
      const found = index.lessons.get(place.lessonId);
      return { kind: 'step', module: found?.module, lesson: found?.lesson, step: found?.lesson.steps[place.index] };
    }
    case 'reflection':
      return { kind: 'reflection', module: index.modules.get(place.moduleId) };
    case 'exercise': {
      const found = index.lessons.get(place.lessonId);
      return { kind: 'exercise', module: found?.module, lesson: found?.lesson };
    }
    case 'quiz':
    case 'quiz-done': {
      const id = place.session.questionIds[Math.min(place.session.index, place.session.questionIds.length - 1)];
      const entry = id ? index.questions.get(id) : undefined;
      return { kind: place.kind, module: entry?.module, lesson: entry?.lesson, question: entry?.question };
    }
  }
}
