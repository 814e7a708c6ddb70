import { z } from 'zod';

/** Unquoted `id: true` / `id: false` in YAML is a boolean: accept it as the string id. */
const optionId = z.preprocess((v) => (typeof v === 'boolean' ? String(v) : v), z.string().trim().min(1));
const text = z.string().trim().min(1, 'must not be empty');
const idList = z.array(z.string().trim().min(1));

export const quizOptionSchema = z.object({
  id: optionId,
  text: text,
  correct: z.boolean().optional(),
  feedback: text.optional(),
});

export const quizItemSchema = z.object({
  id: text,
  type: z.enum(['single', 'multiple', 'truefalse']),
  prompt: text,
  options: z.array(quizOptionSchema).min(2, 'needs at least two options'),
  explanation: text,
  hint: text.optional(),
  outcomes: idList.min(1, 'needs at least one learning-outcome id'),
  scenario: z.boolean().optional(),
});

/** Items are checked one by one (quizItemSchema), so one bad question does not hide the others. */
const quizList = z.array(z.unknown()).min(1, 'needs at least one question');

export const courseFrontMatterSchema = z.object({
  id: z.literal('course'),
  title: text,
  description: text,
});

export const moduleFrontMatterSchema = z.object({
  id: text,
  order: z.number().int().positive(),
  title: text,
  summary: text,
  outcomes: z.array(z.object({ id: text, text: text })).min(1, 'needs at least one learning outcome'),
  reflection: text,
  quiz: quizList,
  /** Final-assessment bank items (ids mN-a1 ...); optional. */
  assessment: z.array(z.unknown()).optional(),
});

export const lessonFrontMatterSchema = z.object({
  id: text,
  module: text,
  order: z.number().int().positive(),
  title: text,
  outcomes: idList.min(1, 'needs at least one learning-outcome id'),
  quiz: quizList,
  /** Practice exercises (exerciseSchema), checked one by one like quiz items; optional. */
  exercises: z.array(z.unknown()).optional(),
});

/** The six parts of a good prompt: a `prompt` exercise has exactly these check ids. */
export const PROMPT_CHECK_IDS = ['role', 'task', 'context', 'format', 'constraints', 'examples'] as const;

export const exerciseCheckSchema = z.object({
  id: text,
  label: text,
  cues: z.array(text).min(1, 'needs at least one cue'),
  tip: text,
});

export const exerciseSchema = z.object({
  id: text,
  kind: z.enum(['prompt', 'redaction', 'checklist']),
  title: text,
  task: text,
  material: text.optional(),
  checks: z.array(exerciseCheckSchema).optional(),
  mustRemove: z.array(z.object({ label: text, text: text })).optional(),
  modelAnswer: text,
  outcomes: idList.min(1, 'needs at least one learning-outcome id'),
});

export const finalFrontMatterSchema = z.object({
  id: z.literal('final'),
  title: text,
  intro: text.optional(),
  quiz: quizList,
});

export type QuizItemInput = z.output<typeof quizItemSchema>;
export type ExerciseInput = z.output<typeof exerciseSchema>;
