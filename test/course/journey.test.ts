import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';
import { learnerKey, type LearnerRecord } from '../../src/core/learner';
import { currentPosition } from '../../src/core/course/current-position';
import { progressOf } from '../../src/core/course/progress-state';
import type { Reply } from '../../src/intents/reply';
import { courseHarness, realCatalog, type Harness } from './harness';

/** "Module 1 · Lesson 2 of 6 · Step 1 of 5", from the loaded course (the course grows: no counts written here). */
async function stepPosition(module: number, lesson: number, step: number): Promise<string> {
  const m = (await realCatalog()).get('en').modules[module - 1];
  return `Module ${module} · Lesson ${lesson} of ${m.lessons.length} · Step ${step} of ${m.lessons[lesson - 1].steps.length}`;
}
const aboutSteps = async () => (await realCatalog()).get('en').about.length;
const stepsOf = async (module: number, lesson: number) => (await realCatalog()).get('en').modules[module - 1].lessons[lesson - 1].steps.length;
const lessonTotal = async () => (await realCatalog()).get('en').modules.flatMap((m) => m.lessons).length;
/** The number the learner sees beside the option with this text. */
const shownNumber = (question: Reply, text: string) => question.choices!.options.findIndex((o) => o.label === text) + 1;

const only = (replies: Reply[]) => {
  expect(replies).toHaveLength(1);
  return replies[0];
};

describe('the learner journey through the coach (SQLite file)', () => {
  let dir: string;
  let file: string;
  let storage: SqliteStorage;
  let h: Harness;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govai-journey-'));
    file = path.join(dir, 'coach.sqlite');
    storage = new SqliteStorage(file);
    await storage.open();
    h = await courseHarness(storage);
  });
  afterAll(async () => {
    await storage.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const record = async () => (await storage.read<LearnerRecord>(learnerKey('msteams', 'u1')))!.value;

  test('the welcome offers a working Start button', async () => {
    const welcome = only((await h.send({ event: 'installed' })).replies);
    const start = welcome.actions!.find((a) => a.command === 'start');
    expect(start).toBeDefined();
    const first = only(await h.press(start!.command));
    expect(first.intent).toBe('show-step');
    expect(first.title).toBe('About this course');
    expect(first.position).toBe(`About this course · Step 1 of ${await aboutSteps()}`);
  });

  test('next, back and repeat move through the steps with a position indicator', async () => {
    for (let i = 0; i < (await aboutSteps()) - 1; i++) await h.say('next');
    const lesson = only(await h.say('next'));
    expect(lesson.position).toBe(await stepPosition(1, 1, 1));
    expect(lesson.actions!.map((a) => a.command)).toEqual(['next', 'back', 'repeat', 'explain']);
    expect(lesson.actions![3].args).toEqual({ step: 'm1-l1-s1', at: lesson.actions![0].args!.at });
    expect(only(await h.say('next')).position).toBe(await stepPosition(1, 1, 2));
    expect(only(await h.press('back')).position).toBe(await stepPosition(1, 1, 1));
    const again = only(await h.say('repeat'));
    expect(again.position).toBe(await stepPosition(1, 1, 1));
    expect(again.text).toBe(lesson.text);
  });

  test('the lesson quiz follows the last step; a right answer gets feedback that replaces the question', async () => {
    for (let i = 0; i < (await stepsOf(1, 1)) - 1; i++) await h.say('next');
    const question = only(await h.say('next'));
    expect(question.intent).toBe('ask-question');
    expect(question.position).toBe('Module 1 · Lesson 1 quiz · Question 1 of 3');
    expect(question.choices).toMatchObject({ selection: 'single', command: 'quiz.answer', args: { question: 'm1-l1-q1' } });
    expect(question.key).toBeTruthy();
    // The options are shuffled for this learner and attempt; the text lists them in the order shown.
    expect(await h.text(question)).toContain(`${shownNumber(question, 'Article 12')}. Article 12`);

    const feedback = only(await h.press('quiz.answer', { question: 'm1-l1-q1', answer: 'a' }));
    expect(feedback.intent).toBe('quiz-feedback');
    expect(feedback.title).toBe('Correct!');
    expect(feedback.replaces).toBe(question.key);
    expect(feedback.text).toContain('Article 12 protects everyone');
  });

  test('pressing an answered question again is gently refused and not recorded twice', async () => {
    const before = progressOf((await record()).data);
    const again = only(await h.press('quiz.answer', { question: 'm1-l1-q1', answer: 'b' }));
    expect(again.intent).toBe('notice');
    expect(again.text).toMatch(/already answered/);
    const after = progressOf((await record()).data);
    expect(after.quizResults['m1-l1']).toEqual(before.quizResults['m1-l1']);
    expect(after.quizResults['m1-l1']).toEqual({ 'm1-l1-q1': true });
  });

  test('a hint is shown on request; a wrong multiple-choice answer (typed as numbers) shows the correct answers', async () => {
    const question = only(await h.say('next'));
    expect(question.choices!.selection).toBe('multiple');
    expect(shownNumber(question, 'Article 2')).toBeGreaterThan(0);
    const hinted = only(await h.press('quiz.hint', { question: 'm1-l1-q2' }));
    expect(hinted.text).toContain('Two articles are correct.');
    expect(hinted.replaces).toBe(question.key);

    const feedback = only(await h.say(String(shownNumber(question, 'Article 2')))); // only "Article 2": partial, so no credit
    expect(feedback.intent).toBe('quiz-feedback');
    expect(feedback.title).toBe('Not quite');
    expect(feedback.text).toContain('**Correct answers:** Article 2; Article 7');
    expect(feedback.text).toContain('review');
  });

  test('after the last question the score follows, and progress shows the lesson done and a review due', async () => {
    await h.say('next');
    await h.press('quiz.answer', { question: 'm1-l1-q3', answer: 'true' });
    const summary = only(await h.say('next'));
    expect(summary.intent).toBe('quiz-summary');
    expect(summary.progress).toMatchObject({ done: 2, total: 3 });
    expect(summary.actions!.map((a) => a.command)).toEqual(['next', 'quiz.retry']);

    const progress = only(await h.say('progress'));
    expect(progress.intent).toBe('progress');
    expect(progress.progress).toMatchObject({ done: 1, total: await lessonTotal() });
    expect(progress.facts).toContainEqual({ label: 'Reviews due now', value: '1' });
    expect(progress.items![0]).toMatchObject({ badge: `1/${(await realCatalog()).get('en').modules[0].lessons.length}` });
  });

  test('after a restart (new coach, same SQLite file) progress is kept and start resumes with the next lesson', async () => {
    await storage.close();
    storage = new SqliteStorage(file);
    await storage.open();
    h = await courseHarness(storage, h.clock.now);
    const progress = only(await h.say('progress'));
    expect(progress.progress).toMatchObject({ done: 1, total: await lessonTotal() });
    expect(progress.facts).toContainEqual({ label: 'Reviews due now', value: '1' });
    const resumed = only(await h.say('start'));
    expect(resumed.position).toBe(await stepPosition(1, 2, 1));
  });

  test('the same activity id delivered twice advances the learner once', async () => {
    const first = await h.send({ text: 'next', activityId: 'teams-retry-1' });
    const retry = await h.send({ text: 'next', activityId: 'teams-retry-1' });
    expect(first.duplicate).toBe(false);
    expect(only(first.replies).position).toBe(await stepPosition(1, 2, 2));
    expect(retry).toMatchObject({ duplicate: true, replies: [] });
    expect(only(await h.say('repeat')).position).toBe(await stepPosition(1, 2, 2));
    const catalog = await realCatalog();
    expect(currentPosition(await record(), catalog).step?.id).toBe('m1-l2-s2');
  });

  test('review serves the due question; a correct review answer schedules it later', async () => {
    const replies = await h.say('review');
    expect(replies.map((r) => r.intent)).toEqual(['notice', 'ask-question']);
    expect(replies[1].choices!.args.question).toBe('m1-l1-q2');
    const dueBefore = progressOf((await record()).data).reviews['m1-l1-q2'].due;
    await h.press('quiz.answer', { question: 'm1-l1-q2', answer: 'a,b' });
    const dueAfter = progressOf((await record()).data).reviews['m1-l1-q2'].due;
    expect(new Date(dueAfter).getTime()).toBeGreaterThan(new Date(dueBefore).getTime());
    const done = only(await h.say('next'));
    expect(done.intent).toBe('quiz-summary');
    // Continue returns to the lesson step the learner left.
    expect(only(await h.say('next')).position).toBe(await stepPosition(1, 2, 2));
  });

  test('the course map lists modules with progress and opens a module and a lesson', async () => {
    const map = only(await h.say('modules'));
    expect(map.intent).toBe('course-map');
    expect(map.items).toHaveLength(6);
    const module2 = only(await h.press(map.items![1].action!.command, map.items![1].action!.args));
    expect(module2.title).toBe('Module 2: Ethics of AI');
    const lesson = only(await h.press(module2.items![0].action!.command, module2.items![0].action!.args));
    expect(lesson.position).toBe(await stepPosition(2, 1, 1));
  });

  test('the final assessment and the certificate stay locked until every module is complete', async () => {
    expect(only(await h.press('quiz', { id: 'final' })).text).toMatch(/opens when every module is complete/);
    expect(only(await h.say('certificate')).text).toMatch(/6 modules are still to complete/);
  });

  test('switching language keeps the place and shows the same step in the new language when it is served', async () => {
    const catalog = await realCatalog();
    const before = only(await h.say('repeat'));
    await h.press('language', { lang: 'es' });
    const after = only(await h.say('repeat'));
    // Same place (module, lesson, step numbers), told in Spanish.
    const numbers = (position?: string) => position?.match(/\d+/g);
    expect(numbers(after.position)).toEqual(numbers(before.position));
    expect(after.position).not.toBe(before.position);
    expect(after.lang).toBe('es');
    const stepId = currentPosition(await record(), catalog).step!.id;
    const lessonId = stepId.split('-').slice(0, 2).join('-');
    const spanishLesson = catalog
      .get('es')
      .modules.flatMap((m) => m.lessons)
      .find((l) => l.id === lessonId)!;
    expect(after.text).toBe(spanishLesson.steps.find((s) => s.id === stepId)!.body);
    await h.press('language', { lang: 'en' });
  });

  test('help lists the course commands', async () => {
    const help = only(await h.say('help'));
    const words = help.items!.map((i) => i.title);
    for (const word of ['start', 'modules', 'next', 'back', 'repeat', 'quiz', 'progress', 'review', 'certificate']) expect(words).toContain(word);
  });
});
