import type { Language } from '../config/config-schema';
import { CodedError } from '../errors/coded-error';

/** A numbered passage as given to the model; `n` is the number the model cites as [n]. */
export interface NumberedPassage {
  n: number;
  title: string;
  text: string;
}

export interface QaExchange {
  question: string;
  answer: string;
}

export interface GenerateAnswerInput {
  question: string;
  /** Language the answer must be written in. */
  lang: Language;
  passages: NumberedPassage[];
  /** 'explain': a fuller explanation of passage 1 (the current step) instead of an answer to a question. */
  task?: 'answer' | 'explain';
}

export interface CondenseInput {
  question: string;
  lang: Language;
  history: QaExchange[];
}

/** A learner's answer to a practice exercise, with the offline rubric's verdict (see core/course/exercises.ts). */
export interface ExerciseFeedbackInput {
  /** Language the feedback must be written in. */
  lang: Language;
  kind: 'prompt' | 'redaction' | 'checklist';
  title: string;
  task: string;
  /** Already redacted of personal data. */
  material?: string;
  /** Already redacted of personal data. */
  answer: string;
  /** Labels of the rubric checks the answer meets. */
  met: string[];
  /** Checks it misses, with the tip for each. */
  missing: { label: string; tip: string }[];
  /** Redaction: labels of the personal data still in the answer, and of what was removed. */
  remaining: string[];
  removed: string[];
}

/** A discussion's replies, already redacted of personal data and without authors, numbered from 1. */
export interface DiscussionSummaryInput {
  /** Language the summary (theme names, follow-up) must be written in; quotes stay as written. */
  lang: Language;
  replies: { n: number; text: string }[];
}

/**
 * A text generator for grounded answers (an OpenAI-compatible or Azure OpenAI model). Inputs are
 * already redacted of personal data; the implementation must treat them as data and offer the
 * model no tools.
 */
export interface LlmPort {
  /** Identifies the model, for logs and the eval report. */
  readonly id: string;
  /** A standalone question from a follow-up and the conversation so far. */
  condense(input: CondenseInput, options?: LlmCallOptions): Promise<string>;
  /** An answer citing passages as [n], or exactly NOT_IN_COURSE_MARKER when they do not contain it. */
  answer(input: GenerateAnswerInput, options?: LlmCallOptions): Promise<string>;
  /** Feedback on an exercise answer, consistent with the rubric's verdict (optional: without it the rubric's own feedback is shown). */
  exerciseFeedback?(input: ExerciseFeedbackInput, options?: LlmCallOptions): Promise<string>;
  /** Themes of a discussion's redacted replies as JSON ({ themes: [{ name, replies: [n], quotes }], followUp }); optional: without it the summary is extractive. */
  discussionSummary?(input: DiscussionSummaryInput, options?: LlmCallOptions): Promise<string>;
}

export interface LlmCallOptions {
  /** Aborts the call, retries included (the turn's overall deadline). */
  signal?: AbortSignal;
  /**
   * Receives each piece of the text as the model writes it (the call is then streamed); the
   * promise still resolves with the whole text, checked like any other. Implementations that
   * cannot stream may ignore it.
   */
  onText?: (piece: string) => void;
}

/** What the model replies when the passages do not answer the question. */
export const NOT_IN_COURSE_MARKER = 'NOT_IN_COURSE';

/** A failed model call (after retries), so the caller can fall back to the extractive answer. */
export class LlmError extends CodedError<'timeout' | 'rate-limited' | 'server-error' | 'bad-response' | 'unavailable'> {
  constructor(code: 'timeout' | 'rate-limited' | 'server-error' | 'bad-response' | 'unavailable', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
