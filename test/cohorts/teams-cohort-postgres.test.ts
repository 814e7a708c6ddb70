import { PostgresStorage } from '../../src/adapters/storage/postgres-storage';
import type { App } from '../../src/app/create-app';
import { exchange, tempDir } from '../support/app-harness';
import { TEST_DATABASE_URL, testTable } from '../support/postgres';
import type { Cohort } from '../../src/core/cohorts/cohort-model';
import { listAll } from '../../src/core/privacy/personal-data';
import { APP_START_BUDGET_MS, CHANNEL, FAY, cardOf, channelMessage, passUntil, personalMessage, startCohortApp } from './cohort-harness';
import { startLocalLrs } from './local-lrs';
import { channelRoster, startTeamsStandIn } from './teams-connector-stand-in';

/** Two instances of the app on one real PostgreSQL table, as behind a load balancer. */
describe('cohort welcomes with two instances on PostgreSQL (STORAGE=postgres)', () => {
  const table = testTable('cohorts');
  const learners = Array.from({ length: 12 }, (_, i) => `29:m${i + 1}`);
  let standIn: Awaited<ReturnType<typeof startTeamsStandIn>>;
  let lrs: Awaited<ReturnType<typeof startLocalLrs>>;
  let throttled = true;
  const apps: App[] = [];
  // One data folder: the instances share the retrieval index on disk, built once.
  const dataDir = tempDir();
  const start = async () => {
    const { app, url } = await startCohortApp(
      { FACILITATORS: 'aad-fay', STORAGE: 'postgres', DATABASE_URL: TEST_DATABASE_URL, DATA_DIR: dataDir, LOCAL_SERVICE_URLS: standIn.serviceUrl, LRS_ENDPOINT: lrs.endpoint },
      new PostgresStorage(TEST_DATABASE_URL, table.name),
    );
    apps.push(app);
    return { app, url };
  };

  beforeAll(async () => {
    await table.drop();
    lrs = await startLocalLrs();
    standIn = await startTeamsStandIn({
      channels: { [CHANNEL]: channelRoster(12) },
      // Teams keeps throttling the last two members' chats until the test lifts it.
      fail: ({ method, path }) => (throttled && method === 'POST' && /a:personal-29:m(11|12)\/activities/.test(path) ? { status: 429, headers: { 'Retry-After': '0' } } : undefined),
    });
  });
  afterAll(async () => {
    for (const app of apps) await app.stop();
    await standIn.close();
    await lrs.close();
    await table.drop();
  });

  it(
    'sends 12 welcomes once each across two instances, resumes throttled ones after a restart, and reports once',
    async () => {
      const a = await start();
      const b = await start();
      const [reply] = await exchange(a.url, channelMessage(standIn.serviceUrl, 'cohort new Pilot cohort'));
      expect(cardOf(reply).body[0].text).toBe('Cohort “Pilot cohort” created');

      // Both instances work through the same welcomes at the same time.
      await passUntil([a.app, b.app], () => learners.slice(0, 10).every((id) => standIn.postsTo(id).length > 0));
      await Promise.all([a.app.cohortWelcomes.tick(), b.app.cohortWelcomes.tick()]);
      for (const id of learners.slice(10)) expect(standIn.postsTo(id)).toHaveLength(0);
      expect(standIn.postsTo(FAY.id)).toHaveLength(0); // no report while welcomes are pending

      // Instance A stops; the throttling ends; a new instance C resumes the pending welcomes.
      await a.app.stop();
      throttled = false;
      const c = await start();
      const later = new Date(Date.now() + 5 * 60_000);
      await Promise.all([b.app.cohortWelcomes.tick(later), c.app.cohortWelcomes.tick(later)]);
      await Promise.all([b.app.cohortWelcomes.tick(later), c.app.cohortWelcomes.tick(later)]);

      for (const id of learners) {
        const welcomes = standIn.postsTo(id);
        expect(welcomes).toHaveLength(1);
        expect(cardOf(welcomes[0]).body[0].text).toBe('Welcome to “Pilot cohort”');
      }
      const reports = standIn.postsTo(FAY.id);
      expect(reports).toHaveLength(1);
      const facts = Object.fromEntries(
        cardOf(reports[0])
          .body.find((x: any) => x.type === 'FactSet')
          .facts.map((f: any) => [f.title, f.value]),
      );
      expect(facts).toMatchObject({ Reached: '12', 'Not reachable': '0' });

      // The same two instances (B and C) run the pacing nudges and the xAPI outbox (issue 8: never twice).
      // Four members start the course, two on each instance, while the LRS is down: their statements wait in the outbox.
      lrs.state.down = true;
      const starters = [1, 2, 3, 4].map((n) => ({ id: `29:m${n}`, name: `Member ${n}`, aadObjectId: `aad-m${n}` }));
      for (const [i, member] of starters.entries()) await exchange((i % 2 ? c : b).url, personalMessage(standIn.serviceUrl, 'start', member));
      const queued = await listAll(b.app.storage, 'xapi-outbox:');
      expect(queued.length).toBeGreaterThanOrEqual(starters.length);
      lrs.state.down = false;
      const outboxes = [b.app.xapiOutbox!, c.app.xapiOutbox!];
      for (let minute = 1; minute <= 30; minute += 5) await Promise.all(outboxes.map((o) => o.tick(new Date(Date.now() + minute * 60_000))));
      const accepted = lrs.requests.filter((r) => r.status === 200).flatMap((r) => r.ids);
      expect(accepted.length).toBe(queued.length);
      expect(new Set(accepted).size).toBe(accepted.length);
      expect(lrs.requests.some((r) => r.status === 400)).toBe(false);
      expect(await listAll(b.app.storage, 'xapi-outbox:')).toEqual([]);

      // Module 2 opens a week after the start: both instances pass at the same moments, each member gets one nudge.
      const [cohort] = await Promise.all((await listAll(b.app.storage, 'cohort:')).map(async (k) => (await b.app.storage.read<Cohort>(k))?.value));
      const opens = Object.values(cohort!.plan).sort()[1];
      const noonThere = new Date(`${opens}T12:00:00Z`);
      for (let i = 0; i < 3; i++) await Promise.all([b.app.cohortWelcomes.tick(noonThere), c.app.cohortWelcomes.tick(noonThere)]);
      for (const id of learners) {
        const nudges = standIn.postsTo(id).slice(1);
        expect(nudges.map((n) => cardOf(n).body[0].text)).toEqual(['Module 2 is open: Ethics of AI']);
      }
    },
    APP_START_BUDGET_MS,
  );
});
