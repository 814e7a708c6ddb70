import { dueQuestionIds, nextDue, recordReviewAnswer, type StoredReviewCard } from '../../src/core/course/review-schedule';

const t0 = new Date('2026-03-02T09:00:00Z');
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);

describe('spaced review with FSRS', () => {
  test('a missed question becomes a card due within minutes; a correct first answer creates none', () => {
    const deck: Record<string, StoredReviewCard> = {};
    recordReviewAnswer(deck, 'q1', false, t0);
    recordReviewAnswer(deck, 'q2', true, t0);
    expect(Object.keys(deck)).toEqual(['q1']);
    const due = new Date(deck.q1.due);
    expect(due.getTime()).toBeGreaterThan(t0.getTime());
    expect(due.getTime()).toBeLessThanOrEqual(minutes(10).getTime());
    expect(dueQuestionIds(deck, t0, 0)).toEqual([]);
    expect(dueQuestionIds(deck, minutes(15), 0)).toEqual(['q1']);
    // Learning steps of minutes count as due in the same chat session.
    expect(dueQuestionIds(deck, t0)).toEqual(['q1']);
  });

  test('correct review answers push the due date further out each time', () => {
    const deck: Record<string, StoredReviewCard> = {};
    recordReviewAnswer(deck, 'q1', false, t0);
    let now = new Date(deck.q1.due);
    const gaps: number[] = [];
    for (let i = 0; i < 4; i++) {
      recordReviewAnswer(deck, 'q1', true, now);
      const due = new Date(deck.q1.due);
      gaps.push(due.getTime() - now.getTime());
      now = due;
    }
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThan(gaps[i - 1]);
    expect(gaps[3]).toBeGreaterThan(24 * 3600_000);
    // A card days away is not due now.
    expect(dueQuestionIds(deck, new Date(now.getTime() - gaps[3]))).toEqual([]);
  });

  test('missing a card again brings it back soon and counts a lapse', () => {
    const deck: Record<string, StoredReviewCard> = {};
    recordReviewAnswer(deck, 'q1', false, t0);
    let now = new Date(deck.q1.due);
    recordReviewAnswer(deck, 'q1', true, now);
    now = new Date(deck.q1.due);
    recordReviewAnswer(deck, 'q1', true, now);
    now = new Date(deck.q1.due);
    const before = deck.q1.lapses;
    recordReviewAnswer(deck, 'q1', false, now);
    expect(new Date(deck.q1.due).getTime() - now.getTime()).toBeLessThanOrEqual(60 * 60_000);
    expect(deck.q1.lapses).toBe(before + 1);
    expect(nextDue(deck)?.toISOString()).toBe(deck.q1.due);
  });
});
