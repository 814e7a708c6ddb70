import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';
import { learnerKey, newLearnerRecord } from '../../src/core/learner';
import { COURSE_SLICE, newCourseProgress } from '../../src/core/course/progress-state';
import { courseHarness, realCatalog } from './harness';

test('a learner without a channel name is asked for one, and the typed name is printed on the certificate', async () => {
  const storage = new SqliteStorage(':memory:');
  await storage.open();
  const course = (await realCatalog()).get('en');
  const now = new Date('2026-03-02T09:00:00Z');
  const progress = newCourseProgress();
  for (const m of course.modules) {
    progress.modulesDone[m.id] = now.toISOString();
    for (const l of m.lessons) progress.lessonsDone[l.id] = now.toISOString();
  }
  progress.finalPassedAt = now.toISOString();
  const learner = newLearnerRecord('msteams', 'nameless', now);
  learner.data[COURSE_SLICE] = progress;
  await storage.write(learnerKey('msteams', 'nameless'), learner);

  const h = await courseHarness(storage, now);
  const asked = (await h.say('certificate', { userId: 'nameless', userName: undefined }))[0];
  expect(asked.intent).toBe('notice');
  expect(asked.text).toMatch(/What name should I print/);

  const issued = (await h.say('certificate Jane Q. Public', { userId: 'nameless', userName: undefined }))[0];
  expect(issued.intent).toBe('certificate');
  expect(issued.facts).toContainEqual({ label: 'Name', value: 'Jane Q. Public' });
  const id = issued.facts!.find((f) => f.label === 'Verification id')!.value;
  expect((await h.certificates.find(id))?.learnerName).toBe('Jane Q. Public');
  await storage.close();
});
