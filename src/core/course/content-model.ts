import type { Language } from '../../config/config-schema';

/**
 * The course as the core sees it, whatever the files look like on disk (see knowledge/README.md).
 * Ids are stable and shared across languages.
 */
export type QuestionType = 'single' | 'multiple' | 'truefalse';

export interface QuizOption {
  id: string;
  text: string;
  correct: boolean;
  feedback?: string;
}

export interface QuizQuestion {
  id: string;
  type: QuestionType;
  prompt: string;
  options: QuizOption[];
  explanation: string;
  hint?: string;
  outcomes: string[];
  /** Where the question is defined, for error messages and citations. */
  source: SourceRef;
}

export interface Step {
  /** e.g. "m1-l2-s3" */
  id: string;
  title: string;
  /** Markdown body, one chat message. */
  body: string;
  source: SourceRef;
}

export interface Lesson {
  id: string;
  moduleId: string;
  order: number;
  title: string;
  outcomes: string[];
  steps: Step[];
  quiz: QuizQuestion[];
  source: SourceRef;
}

export interface LearningOutcome {
  id: string;
  text: string;
}

export interface CourseModule {
  id: string;
  order: number;
  title: string;
  summary: string;
  intro?: string;
  outcomes: LearningOutcome[];
  reflection: string;
  lessons: Lesson[];
  quiz: QuizQuestion[];
  source: SourceRef;
}

export interface Course {
  lang: Language;
  id: string;
  title: string;
  description: string;
  /** "About this course" steps from course.md. */
  about: Step[];
  modules: CourseModule[];
  finalAssessment: QuizQuestion[];
}

/** A file (relative to the knowledge folder) and 1-based line. */
export interface SourceRef {
  file: string;
  line: number;
}

/** All languages that have content; English is always present. */
export interface CourseCatalog {
  languages: Language[];
  /** The course in `lang`, or English when that language has no content. */
  get(lang: Language): Course;
  has(lang: Language): boolean;
}
