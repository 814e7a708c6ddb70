import type { QuizQuestion } from '../../src/core/course/content-model';
import { gradeAnswer, InvalidAnswerError, parseAnswer, scoreOf } from '../../src/core/course/grading';

const source = { file: 'en/m1/l1.md', line: 1 };
const single: QuizQuestion = {
  id: 'm1-l1-q1',
  type: 'single',
  prompt: 'Privacy?',
  explanation: 'Article 12.',
  outcomes: ['m1-o1'],
  source,
  options: [
    { id: 'a', text: 'Article 12', correct: true, feedback: 'Right.' },
    { id: 'b', text: 'Article 19', correct: false, feedback: 'Expression.' },
  ],
};
const multiple: QuizQuestion = {
  id: 'm1-l1-q2',
  type: 'multiple',
  prompt: 'Equality?',
  explanation: 'Articles 2 and 7.',
  outcomes: ['m1-o1'],
  source,
  options: [
    { id: 'a', text: 'Article 2', correct: true },
    { id: 'b', text: 'Article 7', correct: true },
    { id: 'c', text: 'Article 12', correct: false },
  ],
};
const trueFalse: QuizQuestion = {
  id: 'm1-l1-q3',
  type: 'truefalse',
  prompt: 'ICCPR Article 17?',
  explanation: 'Yes.',
  outcomes: ['m1-o1'],
  source,
  options: [
    { id: 'true', text: 'True', correct: true },
    { id: 'false', text: 'False', correct: false },
  ],
};

describe('grading', () => {
  test('single choice: the correct option earns full credit, another earns none', () => {
    expect(gradeAnswer(single, ['a'])).toMatchObject({ correct: true, score: 1 });
    const wrong = gradeAnswer(single, ['b']);
    expect(wrong).toMatchObject({ correct: false, score: 0 });
    expect(wrong.correctOptions.map((o) => o.id)).toEqual(['a']);
    expect(wrong.wrong.map((o) => o.id)).toEqual(['b']);
  });

  test('multiple choice: only the exact set earns credit; partial and extra picks earn none', () => {
    expect(gradeAnswer(multiple, ['b', 'a'])).toMatchObject({ correct: true, score: 1 });
    const partial = gradeAnswer(multiple, ['a']);
    expect(partial).toMatchObject({ correct: false, score: 0 });
    expect(partial.missed.map((o) => o.id)).toEqual(['b']);
    expect(partial.wrong).toEqual([]);
    const extra = gradeAnswer(multiple, ['a', 'b', 'c']);
    expect(extra).toMatchObject({ correct: false, score: 0 });
    expect(extra.wrong.map((o) => o.id)).toEqual(['c']);
  });

  test('true/false is graded like a single choice', () => {
    expect(gradeAnswer(trueFalse, ['true']).correct).toBe(true);
    expect(gradeAnswer(trueFalse, ['false']).correct).toBe(false);
  });

  test('answers that are no option, empty, or several for a single choice are refused', () => {
    expect(() => gradeAnswer(single, ['z'])).toThrow(InvalidAnswerError);
    expect(() => gradeAnswer(single, [])).toThrow(expect.objectContaining({ reason: 'empty' }));
    expect(() => gradeAnswer(trueFalse, ['true', 'false'])).toThrow(expect.objectContaining({ reason: 'one-only' }));
  });

  test('comma-separated answers are split, trimmed and de-duplicated', () => {
    expect(parseAnswer(' a, c ,a')).toEqual(['a', 'c']);
    expect(parseAnswer(undefined)).toEqual([]);
  });

  test('a quiz score counts only questions whose latest answer is correct', () => {
    expect(scoreOf({ q1: true, q2: false, q3: true }, ['q1', 'q2', 'q3', 'q4'])).toBe(0.5);
  });
});
