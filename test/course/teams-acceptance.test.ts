import { SHARED_INDEX_DIR } from '../support/app-harness';
import fs from 'node:fs';
import { learnerKey, type LearnerRecord } from '../../src/core/learner';
import { progressOf } from '../../src/core/course/progress-state';
import { exchange, startTestApp, teamsActivity, tempDir, type RunningApp } from '../support/app-harness';

/** The acceptance check: a new Teams user over POST /api/messages, across a restart. */
describe('course acceptance over /api/messages (Teams)', () => {
  const dataDir = tempDir('govai-course-teams-');
  // The retrieval index is kept between runs (rebuilt only when the content changes).
  const env = { DATA_DIR: dataDir, INDEX_DIR: SHARED_INDEX_DIR, REMINDER_TICK_SECONDS: '0', WEBCHAT_ENABLED: 'false' };
  const from = { id: '29:zoe', name: 'Zoe Park', aadObjectId: 'aad-zoe' };
  const conversation = { id: 'a:personal-zoe', conversationType: 'personal', tenantId: 'tenant-1' };
  let running: RunningApp;

  const send = (overrides: Record<string, unknown>) => exchange(running.url, teamsActivity({ from, conversation, ...overrides }));
  const press = (command: string, args: Record<string, string> = {}) => send({ value: { command, args } });
  const place = async () => progressOf((await running.app.storage.read<LearnerRecord>(learnerKey('msteams', 'aad-zoe')))!.value.data).place;
  const json = (activities: unknown[]) => JSON.stringify(activities);

  afterAll(async () => {
    await running?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('install, start, a lesson by buttons, its quiz with one right and one wrong answer, then progress after a restart', async () => {
    running = await startTestApp(env);
    const welcome = await send({ type: 'installationUpdate', action: 'add' });
    expect(json(welcome)).toContain('"command":"start"');

    // Counts come from the loaded course: lessons and steps are added over time.
    const course = running.app.catalog.get('en');
    await send({ text: 'start' });
    for (let i = 0; i < course.about.length; i++) await press('next');
    expect(await place()).toEqual({ kind: 'step', lessonId: 'm1-l1', index: 0 });
    for (let i = 0; i < course.modules[0].lessons[0].steps.length - 1; i++) await press('next');
    const question = await press('next');
    expect(json(question)).toContain('Which article of the Universal Declaration of Human Rights protects privacy?');

    const right = await press('quiz.answer', { question: 'm1-l1-q1', answer: 'a' });
    expect(json(right)).toContain('Correct!');
    await press('next');
    const wrong = await press('quiz.answer', { question: 'm1-l1-q2', answer: 'c' });
    expect(json(wrong)).toContain('Not quite');
    expect(json(wrong)).toContain('Article 2; Article 7');
    await press('next');
    await press('quiz.answer', { question: 'm1-l1-q3', answer: 'true' });
    const summary = await press('next');
    expect(json(summary)).toContain('Correct answers: 2 of 3 (67%)');
    // The card states the score once (the notification summary still says it in words).
    expect(JSON.stringify(summary.map((a: any) => a.attachments?.[0]?.content?.body))).not.toContain('You answered 2 of 3 questions correctly');

    await running.stop();
    running = await startTestApp(env);
    const progress = await send({ text: 'progress' });
    expect(json(progress)).toContain(`1 of ${course.modules.flatMap((m) => m.lessons).length} lessons completed; 1 review(s) due.`);
  }, 300_000);

  test('replaying an identical activity (same id) does not advance twice', async () => {
    await press('start'); // the next lesson, step 1
    const activity = teamsActivity({ from, conversation, value: { command: 'next', args: {} } });
    await exchange(running.url, activity);
    const after = await place();
    expect(after).toEqual({ kind: 'step', lessonId: 'm1-l2', index: 1 });
    const replay = await exchange(running.url, activity);
    expect(replay).toEqual([]);
    expect(await place()).toEqual(after);
  });
});
