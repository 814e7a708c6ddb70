import { seededShuffle } from '../seeded-random';
import type { Course, QuizQuestion } from './content-model';

/** A question the final assessment may draw, with the module it assesses. */
export interface BankItem {
  question: QuizQuestion;
  moduleId: string;
}

/** Questions drawn per module for one attempt (6 modules → 24 questions). */
export const FINAL_PER_MODULE = 4;

/**
 * The final assessment's item bank: every module's `assessment` items and final.md's own items.
 * A final.md item belongs to the module of its first outcome ("m3-o2" → m3).
 */
export function finalBank(course: Course): BankItem[] {
  const known = new Set(course.modules.map((m) => m.id));
  const out: BankItem[] = course.modules.flatMap((m) => m.assessment.map((question) => ({ question, moduleId: m.id })));
  for (const question of course.finalAssessment) {
    const prefix = (question.outcomes[0] ?? '').split('-')[0];
    out.push({ question, moduleId: known.has(prefix) ? prefix : (course.modules[0]?.id ?? 'm1') });
  }
  return out;
}

/**
 * The options of `question` in the order one learner sees them in one attempt. True/false keeps
 * the file's order (True first), so "True" and "False" stay where learners expect them.
 */
export function shownOptions<T extends { id: string }>(question: { id: string; type: string; options: T[] }, learnerKey: string, attempt: string): T[] {
  if (question.type === 'truefalse') return question.options;
  return seededShuffle(question.options, `${learnerKey}\u0000${attempt}\u0000${question.id}`);
}

/**
 * Draws one attempt's questions: `perModule` from each module, preferring items not in `seen`
 * (earlier attempts), then topped up from the rest of the bank when a module has too few.
 */
export function drawFinal(bank: BankItem[], moduleIds: string[], seen: ReadonlySet<string>, seedText: string, perModule = FINAL_PER_MODULE): string[] {
  const rank = (items: BankItem[], salt: string) => {
    const shuffled = seededShuffle(items, `${seedText}\u0000${salt}`);
    return [...shuffled.filter((i) => !seen.has(i.question.id)), ...shuffled.filter((i) => seen.has(i.question.id))];
  };
  const picked: BankItem[] = [];
  for (const moduleId of moduleIds)
    picked.push(
      ...rank(
        bank.filter((i) => i.moduleId === moduleId),
        moduleId,
      ).slice(0, perModule),
    );
  const target = perModule * moduleIds.length;
  if (picked.length < target) {
    const taken = new Set(picked.map((i) => i.question.id));
    picked.push(
      ...rank(
        bank.filter((i) => !taken.has(i.question.id)),
        'top-up',
      ).slice(0, target - picked.length),
    );
  }
  // Modules in course order; within a module, the drawn order.
  return picked.map((i) => i.question.id);
}
