import { createEmptyCard, fsrs, generatorParameters, Rating, type Card } from 'ts-fsrs';

/** A review card as stored in the learner record (JSON: dates as ISO strings). */
export interface StoredReviewCard {
  due: string;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  state: number;
  last_review?: string;
}

// No fuzz: the same answers give the same schedule, which learners and tests can rely on.
const scheduler = fsrs(generatorParameters({ enable_fuzz: false }));

function toCard(stored: StoredReviewCard): Card {
  return { ...stored, due: new Date(stored.due), last_review: stored.last_review ? new Date(stored.last_review) : undefined };
}

function toStored(card: Card): StoredReviewCard {
  return {
    due: card.due.toISOString(),
    stability: card.stability,
    difficulty: card.difficulty,
    elapsed_days: card.elapsed_days,
    scheduled_days: card.scheduled_days,
    learning_steps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state,
    last_review: card.last_review?.toISOString(),
  };
}

/**
 * Records an answer in the review deck: a miss creates (or lapses) a card rated Again; a
 * correct answer to a question that already has a card rates it Good. Correct answers to
 * questions never missed create no card.
 */
export function recordReviewAnswer(deck: Record<string, StoredReviewCard>, questionId: string, correct: boolean, now: Date): void {
  const existing = deck[questionId];
  if (!existing && correct) return;
  const card = existing ? toCard(existing) : createEmptyCard(now);
  deck[questionId] = toStored(scheduler.next(card, now, correct ? Rating.Good : Rating.Again).card);
}

/**
 * FSRS short-term learning steps (1 and 10 minutes) are finer than chat sessions: a card that
 * falls due within this window counts as due now, so a question missed a moment ago can be
 * reviewed in the same session.
 */
export const DUE_SOON_MS = 15 * 60_000;

/** Question ids whose review is due at `now` (or within `lookaheadMs`), most overdue first. */
export function dueQuestionIds(deck: Record<string, StoredReviewCard>, now: Date, lookaheadMs = DUE_SOON_MS): string[] {
  return Object.entries(deck)
    .filter(([, c]) => new Date(c.due).getTime() <= now.getTime() + lookaheadMs)
    .sort(([, a], [, b]) => a.due.localeCompare(b.due))
    .map(([id]) => id);
}

/** When the next review falls due, if any card exists. */
export function nextDue(deck: Record<string, StoredReviewCard>): Date | undefined {
  const dues = Object.values(deck)
    .map((c) => c.due)
    .sort();
  return dues.length ? new Date(dues[0]) : undefined;
}
