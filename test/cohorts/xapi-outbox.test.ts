import path from 'node:path';
import { loadCourseCatalog } from '../../src/adapters/content/course-loader';
import { PostgresStorage } from '../../src/adapters/storage/postgres-storage';
import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';
import { LrsClient } from '../../src/adapters/xapi/lrs-client';
import { statementsFor } from '../../src/adapters/xapi/progress-statements';
import { XapiOutbox } from '../../src/adapters/xapi/xapi-outbox';
import type { App } from '../../src/app/create-app';
import type { Course } from '../../src/core/course/content-model';
import { newCourseProgress } from '../../src/core/course/progress-state';
import { newLearnerRecord, type LearnerRecord } from '../../src/core/learner';
import { createLogger } from '../../src/logging/logger';
import { REPO_ROOT } from '../support/app-harness';
import { TEST_DATABASE_URL, testTable } from '../support/postgres';
import { APP_START_BUDGET_MS, startCohortApp } from './cohort-harness';
import { startLocalLrs, xapiStatementValidator } from './local-lrs';

const logger = createLogger({ level: 'silent' });
const OPTIONS = { activityBase: 'https://ministry.example/xapi', accountHomePage: 'https://ministry.example' };
const T0 = new Date('2026-12-01T09:00:00Z');

/** A learner who, in one turn, finished lesson 1 of module 1, answered two questions and passed the module quiz. */
function progressed(course: Course): { before: LearnerRecord; after: LearnerRecord } {
  const before = newLearnerRecord('msteams', 'aad-ana', T0);
  before.data.course = newCourseProgress();
  const after = structuredClone(before);
  const p = newCourseProgress();
  const m1 = course.modules[0];
  p.lessonsDone[m1.lessons[0].id] = T0.toISOString();
  p.quizResults[m1.id] = { [m1.quiz[0].id]: true, [m1.quiz[1].id]: false };
  p.quizScores[m1.id] = { score: 0.8, passed: true, at: T0.toISOString() };
  after.data.course = p;
  return { before, after };
}

describe('xAPI statements through the durable outbox', () => {
  let course: Course;
  beforeAll(async () => {
    course = (await loadCourseCatalog(path.join(REPO_ROOT, 'knowledge'), logger)).get('en');
  });

  it('turns a progress change into schema-valid xAPI 1.0.3 statements with stable ids and account actors', () => {
    const validate = xapiStatementValidator();
    const change = { ...progressed(course), activityId: 'act-1', now: T0 };
    const statements = statementsFor(change, course, OPTIONS);
    expect(statements.map((s) => s.verb.id.split('/').pop())).toEqual(['experienced', 'passed', 'answered', 'answered']);
    for (const s of statements) expect(validate(s) ? [] : validate.errors).toEqual([]);
    expect(statements[0].actor).toEqual({ objectType: 'Agent', account: { homePage: 'https://ministry.example', name: 'msteams:aad-ana' } });
    expect(JSON.stringify(statements)).not.toContain('mbox');
    expect(statements[1]).toMatchObject({ object: { id: `https://ministry.example/xapi/modules/${course.modules[0].id}` }, result: { success: true, score: { scaled: 0.8 } } });
    // The same change gives the same ids: a repeated send is a no-op at the LRS.
    expect(statementsFor(change, course, OPTIONS).map((s) => s.id)).toEqual(statements.map((s) => s.id));
    expect(new Set(statements.map((s) => s.id)).size).toBe(statements.length);
  });

  it('loses nothing while the LRS is down, backs off, and delivers each statement once when it is back', async () => {
    const lrs = await startLocalLrs();
    const storage = new SqliteStorage(':memory:');
    await storage.open();
    try {
      const outbox = new XapiOutbox(storage, new LrsClient({ endpoint: lrs.endpoint, key: 'k', secret: 's' }), logger, { baseDelayMs: 1000 });
      const statements = statementsFor({ ...progressed(course), activityId: 'act-1', now: T0 }, course, OPTIONS);
      await outbox.enqueue(statements, T0);
      await outbox.enqueue(statements, T0); // queued twice by a retried turn: still once

      lrs.state.down = true;
      await outbox.tick(T0);
      await outbox.tick(new Date(T0.getTime() + 500)); // inside the backoff of the first: the next one tries
      expect(lrs.stored.size).toBe(0);
      expect(await storage.list('xapi-outbox:')).toHaveLength(4);

      lrs.state.down = false;
      for (let minute = 1; minute <= 5; minute++) await outbox.tick(new Date(T0.getTime() + minute * 60_000));
      expect([...lrs.stored.keys()].sort()).toEqual(statements.map((s) => s.id).sort());
      expect(lrs.requests.filter((r) => r.status === 200).flatMap((r) => r.ids).sort()).toEqual(statements.map((s) => s.id).sort());
      expect(lrs.requests.some((r) => r.status === 400)).toBe(false);
      expect(await storage.list('xapi-outbox:')).toEqual([]);
    } finally {
      await storage.close();
      await lrs.close();
    }
  });

  it('sends each statement once with two instances on PostgreSQL', async () => {
    const table = testTable('xapi');
    await table.drop();
    const lrs = await startLocalLrs();
    const a = new PostgresStorage(TEST_DATABASE_URL, table.name);
    const b = new PostgresStorage(TEST_DATABASE_URL, table.name);
    await a.open();
    await b.open();
    try {
      const outboxes = [a, b].map((s) => new XapiOutbox(s, new LrsClient({ endpoint: lrs.endpoint }), logger));
      const statements = statementsFor({ ...progressed(course), activityId: 'act-2', now: T0 }, course, OPTIONS);
      await outboxes[0].enqueue(statements, T0);
      await Promise.all(outboxes.map((o) => o.tick(T0)));
      await Promise.all(outboxes.map((o) => o.tick(new Date(T0.getTime() + 60_000))));
      expect(lrs.requests.flatMap((r) => r.ids).sort()).toEqual(statements.map((s) => s.id).sort());
    } finally {
      await a.close();
      await b.close();
      await lrs.close();
      await table.drop();
    }
  });

  it('queues "launched" when a learner starts the course in the running app (LRS_ENDPOINT set)', async () => {
    const lrs = await startLocalLrs();
    let app: App | undefined;
    try {
      ({ app } = await startCohortApp({ LRS_ENDPOINT: lrs.endpoint, LRS_KEY: 'k', LRS_SECRET: 's', XAPI_TICK_SECONDS: '0' }));
      await app.coach.handle({ channelId: 'msteams', userId: 'aad-zoe', conversationId: 'a:zoe', scope: 'personal', text: 'start', locale: 'en-US', activityId: 'zoe-1' });
      await app.xapiOutbox!.tick();
      const launched = [...lrs.stored.values()].filter((s) => s.verb.id === 'http://adlnet.gov/expapi/verbs/launched');
      expect(launched).toHaveLength(1);
      expect(launched[0].actor.account.name).toBe('msteams:aad-zoe');
    } finally {
      await app?.stop();
      await lrs.close();
    }
  }, APP_START_BUDGET_MS);
});
