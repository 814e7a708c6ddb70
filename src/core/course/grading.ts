import type { QuizOption, QuizQuestion } from './content-model';
import { CodedError } from '../../errors/coded-error';

export interface Grade {
  /** Full credit: exactly the correct option(s) were chosen. */
  correct: boolean;
  /** 1 for full credit, else 0 (partial picks earn no credit; see knowledge/README.md). */
  score: 0 | 1;
  selected: QuizOption[];
  correctOptions: QuizOption[];
  /** Correct options the learner did not pick (multiple choice). */
  missed: QuizOption[];
  /** Options picked that are not correct. */
  wrong: QuizOption[];
}

export class InvalidAnswerError extends CodedError {
  constructor(
    readonly questionId: string,
    readonly reason: 'empty' | 'unknown-option' | 'one-only',
  ) {
    super('invalid_answer', `invalid answer for ${questionId}: ${reason}`);
  }
}

/** "a, c" or "a,c" → ["a", "c"]; de-duplicated, order kept. */
export function parseAnswer(answer: string | undefined): string[] {
  return [
    ...new Set(
      (answer ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/**
 * Grades one answer. Single choice and true/false take exactly one option; multiple choice
 * earns credit only for the exact set of correct options.
 */
export function gradeAnswer(question: QuizQuestion, optionIds: string[]): Grade {
  if (!optionIds.length) throw new InvalidAnswerError(question.id, 'empty');
  const byId = new Map(question.options.map((o) => [o.id, o]));
  if (optionIds.some((id) => !byId.has(id))) throw new InvalidAnswerError(question.id, 'unknown-option');
  if (question.type !== 'multiple' && optionIds.length !== 1) throw new InvalidAnswerError(question.id, 'one-only');
  const selected = optionIds.map((id) => byId.get(id)!);
  const correctOptions = question.options.filter((o) => o.correct);
  const missed = correctOptions.filter((o) => !optionIds.includes(o.id));
  const wrong = selected.filter((o) => !o.correct);
  const correct = missed.length === 0 && wrong.length === 0;
  return { correct, score: correct ? 1 : 0, selected, correctOptions, missed, wrong };
}

/** Share of questions answered correctly, 0..1. */
export function scoreOf(results: Record<string, boolean>, questionIds: string[]): number {
  if (!questionIds.length) return 0;
  return questionIds.filter((id) => results[id] === true).length / questionIds.length;
}

export const PASS_MARK = 0.7;
