import path from 'node:path';
import { loadCourseCatalog } from '../../src/adapters/content/course-loader';
import { PostgresStorage } from '../../src/adapters/storage/postgres-storage';
import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';
import { LrsClient } from '../../src/adapters/xapi/lrs-client';
import { statementsFor } from '../../src/adapters/xapi/progress-statements';
import { PENDING_STATEMENTS, XapiOutbox } from '../../src/adapters/xapi/xapi-outbox';
import type { App } from '../../src/app/create-app';
import type { Course } from '../../src/core/course/content-model';
import { newCourseProgress } from '../../src/core/course/progress-state';
import { newLearnerRecord, type LearnerRecord } from '../../src/core/learner';
import { StorageUnavailableError, type StoragePort } from '../../src/ports/storage';
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
      expect(
        lrs.requests
          .filter((r) => r.status === 200)
          .flatMap((r) => r.ids)
          .sort(),
      ).toEqual(statements.map((s) => s.id).sort());
      expect(lrs.requests.some((r) => r.status === 400)).toBe(false);
      expect(await storage.list('xapi-outbox:')).toEqual([]);
    } finally {
      await storage.close();
      await lrs.close();
    }
  });

  /** Two instances, each with its own connection to one PostgreSQL table, and their outboxes. */
  async function withTwoInstances(table: string, run: (outboxes: XapiOutbox[], storage: PostgresStorage, lrs: Awaited<ReturnType<typeof startLocalLrs>>) => Promise<void>): Promise<void> {
    const shared = testTable(table);
    await shared.drop();
    const lrs = await startLocalLrs();
    const stores = [new PostgresStorage(TEST_DATABASE_URL, shared.name), new PostgresStorage(TEST_DATABASE_URL, shared.name)];
    for (const store of stores) await store.open();
    try {
      await run(
        stores.map((s) => new XapiOutbox(s, new LrsClient({ endpoint: lrs.endpoint }), logger)),
        stores[0],
        lrs,
      );
    } finally {
      for (const store of stores) await store.close();
      await lrs.close();
      await shared.drop();
    }
  }
  const bothTick = async (outboxes: XapiOutbox[]) => {
    await Promise.all(outboxes.map((o) => o.tick(T0)));
    await Promise.all(outboxes.map((o) => o.tick(new Date(T0.getTime() + 60_000))));
  };

  it('sends each statement once with two instances on PostgreSQL', () =>
    withTwoInstances('xapi', async (outboxes, _storage, lrs) => {
      const statements = statementsFor({ ...progressed(course), activityId: 'act-2', now: T0 }, course, OPTIONS);
      await outboxes[0].enqueue(statements, T0);
      await bothTick(outboxes);
      expect(lrs.requests.flatMap((r) => r.ids).sort()).toEqual(statements.map((s) => s.id).sort());
    }));

  it("moves statements captured with a learner's save to the LRS once, with two instances flushing at the same time on PostgreSQL", () =>
    withTwoInstances('xapi_capture', async (outboxes, storage, lrs) => {
      const change = progressed(course);
      const statements = statementsFor({ ...change, activityId: 'act-3', now: T0 }, course, OPTIONS);
      // What the coach does: capture into the record, save it; the process then stops before moving them.
      await outboxes[0].capture(change.after, statements, T0);
      await storage.write(change.after.key, change.after);
      await bothTick(outboxes);
      expect(lrs.requests.flatMap((r) => r.ids).sort()).toEqual(statements.map((s) => s.id).sort());
      expect((await storage.read<LearnerRecord>(change.after.key))?.value.data[PENDING_STATEMENTS]).toBeUndefined();
      expect(await storage.list('xapi-pending:')).toEqual([]);
    }));

  it(
    'loses no statement when the process stops between the progress save and the outbox write: the next pass sends it once',
    async () => {
      const lrs = await startLocalLrs();
      const inner = new SqliteStorage(':memory:');
      // Every write to the outbox fails, as if the instance stopped right after saving the learner.
      const crashing = { down: true };
      const storage: StoragePort = {
        open: () => inner.open(),
        read: (key) => inner.read(key),
        write: (key, value, options) => (crashing.down && key.startsWith('xapi-outbox:') ? Promise.reject(new StorageUnavailableError('stopped')) : inner.write(key, value, options)),
        delete: (key, options) => inner.delete(key, options),
        list: (prefix, options) => inner.list(prefix, options),
        ping: () => inner.ping(),
        // The app's stop leaves the store to the test, which reads it after the "restart".
        close: async () => undefined,
      };
      let app: App | undefined;
      try {
        ({ app } = await startCohortApp({ LRS_ENDPOINT: lrs.endpoint, XAPI_TICK_SECONDS: '0' }, storage));
        const result = await app.coach.handle({ channelId: 'msteams', userId: 'aad-kim', conversationId: 'a:kim', scope: 'personal', text: 'start', locale: 'en-US', activityId: 'kim-1' });
        expect(result.replies.length).toBeGreaterThan(0);
        await app.xapiOutbox!.tick();
        expect(lrs.requests).toHaveLength(0);
        // The progress was saved, and the statement with it.
        const saved = (await inner.read<LearnerRecord>('learner:msteams:aad-kim'))!.value;
        expect(saved.data.course).toBeDefined();
        expect((saved.data[PENDING_STATEMENTS] as { verb: { id: string } }[]).map((s) => s.verb.id)).toEqual(['http://adlnet.gov/expapi/verbs/launched']);

        // A restarted instance (a new outbox on the same storage) moves and sends it; later passes send nothing again.
        crashing.down = false;
        const restarted = new XapiOutbox(inner, new LrsClient({ endpoint: lrs.endpoint }), logger);
        await restarted.tick();
        await restarted.tick();
        await app.xapiOutbox!.tick();
        const launched = [...lrs.stored.values()].filter((s) => s.actor.account.name === 'msteams:aad-kim');
        expect(launched.map((s) => s.verb.id)).toEqual(['http://adlnet.gov/expapi/verbs/launched']);
        expect(lrs.requests.flatMap((r) => r.ids)).toEqual([launched[0].id]);
        expect(lrs.requests.some((r) => r.status === 400)).toBe(false);
        expect((await inner.read<LearnerRecord>('learner:msteams:aad-kim'))!.value.data[PENDING_STATEMENTS]).toBeUndefined();
        expect(await inner.list('xapi-pending:')).toEqual([]);
        expect(await inner.list('xapi-outbox:')).toEqual([]);
      } finally {
        await app?.stop();
        await inner.close();
        await lrs.close();
      }
    },
    APP_START_BUDGET_MS,
  );

  it(
    'queues "launched" when a learner starts the course in the running app (LRS_ENDPOINT set)',
    async () => {
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
    },
    APP_START_BUDGET_MS,
  );
});
