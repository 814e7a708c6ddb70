import path from 'node:path';
import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';
import { loadCourseCatalog } from '../../src/adapters/content/course-loader';
import { cohortKey, welcomeKey, type Cohort, type WelcomeDocument } from '../../src/core/cohorts/cohort-model';
import { WelcomeDispatcher } from '../../src/core/cohorts/welcome-dispatcher';
import { PacingNudges, nudgeKey, type NudgeDocument } from '../../src/core/cohorts/pacing-nudges';
import { learnerKey, newLearnerRecord } from '../../src/core/learner';
import { reminderKey } from '../../src/core/reminders/reminder-document';
import type { CourseCatalog } from '../../src/core/course/content-model';
import type { Reply } from '../../src/intents/reply';
import { createLocalizer, type Localizer } from '../../src/i18n/i18n';
import { createLogger } from '../../src/logging/logger';
import type { CohortChannelPort, DeliveryResult } from '../../src/ports/cohort-channels';
import { REPO_ROOT } from '../support/app-harness';
import { PostgresStorage } from '../../src/adapters/storage/postgres-storage';
import { TEST_DATABASE_URL, testTable } from '../support/postgres';

const logger = createLogger({ level: 'silent' });
const T0 = new Date('2026-12-01T09:00:00Z');

/** A channel whose answers the test scripts per person; records what each person got. */
class ScriptedChannel implements CohortChannelPort {
  readonly got = new Map<string, Reply[][]>();
  script = new Map<string, DeliveryResult[]>();
  async roster() {
    return { ok: true as const, members: [] };
  }
  async lookup() {
    return { ok: true as const };
  }
  async sendToConversation(): Promise<DeliveryResult> {
    return { outcome: 'sent' };
  }
  async sendPersonal(person: { userId: string }, replies: Reply[]): Promise<DeliveryResult> {
    const next = this.script.get(person.userId)?.shift() ?? { outcome: 'sent' as const };
    if (next.outcome === 'sent') this.got.set(person.userId, [...(this.got.get(person.userId) ?? []), replies]);
    return next;
  }
}

function cohort(members: string[]): Cohort {
  return {
    id: 'c1',
    name: 'Pilot',
    channelId: 'msteams',
    conversationId: '19:x',
    createdAt: T0.toISOString(),
    facilitators: ['fay'],
    facilitatorAddresses: { fay: { id: '29:fay' } },
    facilitatorNames: { fay: 'Fay' },
    startDate: '2026-12-01',
    dueDate: '2027-01-12',
    timeZone: 'UTC',
    language: 'es',
    plan: { m1: '2026-12-01' },
    members: Object.fromEntries(members.map((id) => [id, { userId: id, name: id.toUpperCase(), address: { id: `29:${id}` }, joinedAt: T0.toISOString() }])),
    skipped: { bots: 0, guests: 0 },
    updatedAt: T0.toISOString(),
  };
}

describe('cohort welcome dispatcher', () => {
  let catalog: CourseCatalog;
  let localizer: Localizer;
  let storage: SqliteStorage;
  let channel: ScriptedChannel;
  let dispatcher: WelcomeDispatcher;
  beforeAll(async () => {
    catalog = await loadCourseCatalog(path.join(REPO_ROOT, 'knowledge'), logger);
    localizer = await createLocalizer();
  });
  beforeEach(async () => {
    storage = new SqliteStorage(':memory:');
    await storage.open();
    channel = new ScriptedChannel();
    const nudges = new PacingNudges({ storage, channels: { msteams: channel }, localizer, catalog, logger });
    dispatcher = new WelcomeDispatcher({ storage, channels: { msteams: channel }, localizer, catalog, logger, retryBaseMs: 1000, maxAttempts: 3, nudges });
  });
  afterEach(() => storage.close());

  const welcome = async (id: string) => (await storage.read<WelcomeDocument>(welcomeKey('c1', id)))!.value;

  it('waits out a throttled channel (Retry-After) without counting it against the member, then sends once', async () => {
    await storage.write(cohortKey('c1'), cohort(['ana', 'ben']));
    channel.script.set('ana', [{ outcome: 'throttled', retryAfterMs: 60_000 }]);
    await dispatcher.tick(T0);
    // The channel is paused for the rest of the pass: Ben waits too.
    expect(channel.got.size).toBe(0);
    expect(await welcome('ana')).toMatchObject({ state: 'pending', attempts: 0, nextAttemptAt: '2026-12-01T09:01:00.000Z' });

    await dispatcher.tick(new Date('2026-12-01T09:00:30Z'));
    expect(channel.got.has('ana')).toBe(false); // still inside Retry-After
    expect(channel.got.get('ben')).toHaveLength(1);
    await dispatcher.tick(new Date('2026-12-01T09:01:00Z'));
    await dispatcher.tick(new Date('2026-12-01T09:05:00Z'));
    expect(channel.got.get('ana')).toHaveLength(1);
    expect(channel.got.get('ben')).toHaveLength(1);
    // The welcome is in the cohort's language, with the plan and the first lesson.
    expect(channel.got.get('ana')![0][0]).toMatchObject({ lang: 'es', title: 'Bienvenida a «Pilot»' });
    // The delivery report went to the facilitator once both were settled.
    expect(channel.got.get('fay')).toHaveLength(1);
  });

  it('never re-sends a welcome whose sender stopped mid-send; the facilitator is told it was interrupted', async () => {
    await storage.write(cohortKey('c1'), { ...cohort(['ana']), welcomesQueuedAt: T0.toISOString() });
    const claimed: WelcomeDocument = {
      cohortId: 'c1',
      userId: 'ana',
      state: 'sending',
      attempts: 1,
      nextAttemptAt: T0.toISOString(),
      claimedUntil: '2026-12-01T09:05:00.000Z',
      updatedAt: T0.toISOString(),
    };
    await storage.write(welcomeKey('c1', 'ana'), claimed);
    await dispatcher.tick(new Date('2026-12-01T09:01:00Z'));
    expect(await welcome('ana')).toMatchObject({ state: 'sending' }); // the claim still holds
    await dispatcher.tick(new Date('2026-12-01T09:06:00Z'));
    expect(await welcome('ana')).toMatchObject({ state: 'unreachable', reason: 'interrupted' });
    expect(channel.got.has('ana')).toBe(false);
    const [report] = channel.got.get('fay')!;
    expect(report[0].items).toEqual([{ title: 'ANA', text: localizer.forLanguage('es')('cohorts:delivery.reason.interrupted') }]);
  });

  it('retries failures with growing delays, then reports the member as not reached', async () => {
    await storage.write(cohortKey('c1'), cohort(['ana']));
    channel.script.set('ana', [{ outcome: 'failed' }, { outcome: 'failed' }, { outcome: 'failed' }]);
    await dispatcher.tick(T0);
    expect(await welcome('ana')).toMatchObject({ state: 'pending', attempts: 1, nextAttemptAt: '2026-12-01T09:00:01.000Z' });
    await dispatcher.tick(new Date('2026-12-01T09:00:01Z'));
    expect(await welcome('ana')).toMatchObject({ state: 'pending', attempts: 2, nextAttemptAt: '2026-12-01T09:00:03.000Z' });
    await dispatcher.tick(new Date('2026-12-01T09:00:03Z'));
    expect(await welcome('ana')).toMatchObject({ state: 'unreachable', reason: 'failed', attempts: 3 });
    expect(channel.got.get('fay')).toHaveLength(1);
  });

  it("queues nothing before the start date (in the cohort's time zone)", async () => {
    await storage.write(cohortKey('c1'), { ...cohort(['ana']), startDate: '2026-12-02', timeZone: 'Pacific/Auckland' });
    await dispatcher.tick(new Date('2026-12-01T10:00:00Z')); // 23:00 on 1 December in Auckland
    expect(await storage.read(welcomeKey('c1', 'ana'))).toBeUndefined();
    await dispatcher.tick(new Date('2026-12-01T11:00:00Z')); // midnight, 2 December in Auckland
    expect(channel.got.get('ana')).toHaveLength(1);
  });

  describe('pacing nudges', () => {
    const weekly = { m1: '2026-11-24', m2: '2026-12-01', m3: '2026-12-08', m4: '2026-12-15', m5: '2026-12-22', m6: '2026-12-29' };
    const started = (members: string[]): Cohort => ({ ...cohort(members), language: 'en', startDate: '2026-11-24', dueDate: '2027-01-05', plan: weekly, welcomesQueuedAt: '2026-11-24T09:00:00Z' });
    const welcomed = async (id: string) =>
      storage.write(welcomeKey('c1', id), {
        cohortId: 'c1',
        userId: id,
        state: 'sent',
        attempts: 1,
        nextAttemptAt: '2026-11-24T09:00:00Z',
        updatedAt: '2026-11-24T09:00:00Z',
      } satisfies WelcomeDocument);
    const learner = async (id: string, timezone: string, updatedAt = '2026-11-24T10:00:00Z') =>
      storage.write(learnerKey('msteams', id), { ...newLearnerRecord('msteams', id, new Date(updatedAt)), timezone, updatedAt });
    const nudgesOf = (id: string) => (channel.got.get(id) ?? []).map((r) => r[0].title);

    it('nudges once when a module opens, at 09:00 in the member\'s own time zone; "stop reminders" stops them', async () => {
      await storage.write(cohortKey('c1'), started(['ana', 'ben']));
      for (const id of ['ana', 'ben']) await welcomed(id);
      await learner('ana', 'Asia/Tokyo');
      await learner('ben', 'Asia/Tokyo');
      await storage.write(reminderKey(learnerKey('msteams', 'ben')), {
        learnerKey: learnerKey('msteams', 'ben'),
        time: '08:30',
        timeZone: 'Asia/Tokyo',
        language: 'en',
        active: false,
        stoppedBecause: 'learner',
        nextDueAt: '2026-12-01T00:00:00Z',
        ignored: 0,
        updatedAt: '2026-11-25T00:00:00Z',
      });
      await dispatcher.tick(new Date('2026-11-30T23:30:00Z')); // 08:30 on 1 December in Tokyo: too early
      expect(nudgesOf('ana')).toEqual([]);
      await dispatcher.tick(new Date('2026-12-01T00:05:00Z')); // 09:05 in Tokyo
      await dispatcher.tick(new Date('2026-12-01T02:00:00Z'));
      expect(nudgesOf('ana')).toEqual(['Module 2 is open: Ethics of AI']);
      expect(nudgesOf('ben')).toEqual([]);
    });

    it('stops after nudges are ignored three times in a row, and only members behind hear about the due date', async () => {
      await storage.write(cohortKey('c1'), started(['cai']));
      await welcomed('cai');
      await learner('cai', 'UTC');
      for (const day of ['2026-12-01', '2026-12-08', '2026-12-15', '2026-12-22', '2026-12-29']) await dispatcher.tick(new Date(`${day}T10:00:00Z`));
      // Cai never came back after the first nudge: the 2nd and 3rd go out, the 4th would be the 3rd ignored one.
      expect(nudgesOf('cai')).toEqual(['Module 2 is open: Ethics of AI', 'Module 3 is open: Data governance', 'Module 4 is open: Inclusive service design']);
      expect((await storage.read<NudgeDocument>(nudgeKey('c1', 'cai')))!.value).toMatchObject({ stopped: true });
      await dispatcher.tick(new Date('2027-01-03T10:00:00Z'));
      expect(nudgesOf('cai')).toHaveLength(3);
    });

    it('sends each nudge once when two instances on PostgreSQL pass at the same moment', async () => {
      const table = testTable('nudges');
      await table.drop();
      const stores = [new PostgresStorage(TEST_DATABASE_URL, table.name), new PostgresStorage(TEST_DATABASE_URL, table.name)];
      for (const store of stores) await store.open();
      try {
        const [pg] = stores;
        await pg.write(cohortKey('c1'), started(['eli', 'fei']));
        for (const id of ['eli', 'fei']) {
          await pg.write(welcomeKey('c1', id), {
            cohortId: 'c1',
            userId: id,
            state: 'sent',
            attempts: 1,
            nextAttemptAt: '2026-11-24T09:00:00Z',
            updatedAt: '2026-11-24T09:00:00Z',
          } satisfies WelcomeDocument);
          await pg.write(learnerKey('msteams', id), { ...newLearnerRecord('msteams', id, new Date('2026-11-24T10:00:00Z')), timezone: 'UTC' });
        }
        const instances = stores.map(
          (store) =>
            new WelcomeDispatcher({
              storage: store,
              channels: { msteams: channel },
              localizer,
              catalog,
              logger,
              nudges: new PacingNudges({ storage: store, channels: { msteams: channel }, localizer, catalog, logger }),
            }),
        );
        for (let i = 0; i < 3; i++) await Promise.all(instances.map((d) => d.tick(new Date('2026-12-01T10:00:00Z'))));
        expect(nudgesOf('eli')).toEqual(['Module 2 is open: Ethics of AI']);
        expect(nudgesOf('fei')).toEqual(['Module 2 is open: Ethics of AI']);
      } finally {
        for (const store of stores) await store.close();
        await table.drop();
      }
    });

    it('reminds a member who is behind a few days before the due date, once', async () => {
      await storage.write(cohortKey('c1'), started(['dee']));
      await welcomed('dee');
      await learner('dee', 'UTC', '2027-01-02T10:00:00Z');
      await dispatcher.tick(new Date('2027-01-02T10:00:00Z'));
      await dispatcher.tick(new Date('2027-01-03T10:00:00Z'));
      expect(nudgesOf('dee')).toEqual(['“Pilot” is due on Jan 5, 2027']);
    });
  });
});
