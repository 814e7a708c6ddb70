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
  /** A short public-sector situation, then what to do or what is wrong. */
  scenario?: boolean;
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
  /** Practice tasks shown after the last step, before the quiz (see exercises.ts). */
  exercises?: Exercise[];
  source: SourceRef;
}

export type ExerciseKind = 'prompt' | 'redaction' | 'checklist';

/** One thing a good answer contains; met when the answer contains any cue (folded, as a substring). */
export interface ExerciseCheck {
  id: string;
  label: string;
  /** Lower-case words or phrases in the lesson's language. */
  cues: string[];
  /** Shown when the check is missing: what to add. */
  tip: string;
}

/** A piece of personal data of the material that must not remain in a redaction answer. */
export interface ExerciseRemoval {
  label: string;
  text: string;
}

export interface Exercise {
  /** e.g. "m6-l5-x1" */
  id: string;
  kind: ExerciseKind;
  title: string;
  task: string;
  /** The text the learner works on (a case note, a generated answer, a letter). */
  material?: string;
  /** Kinds prompt and checklist. */
  checks: ExerciseCheck[];
  /** Kind redaction. */
  mustRemove: ExerciseRemoval[];
  modelAnswer: string;
  outcomes: string[];
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
  /** Items only the final assessment draws from (module.md `assessment:`, ids mN-aK). */
  assessment: QuizQuestion[];
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
  /** final.md's own items; the final draws from these and every module's `assessment`. */
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
