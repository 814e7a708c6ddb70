import { PostgresJobs } from '../../src/adapters/jobs/postgres-jobs';
import { PostgresStorage } from '../../src/adapters/storage/postgres-storage';
import type { App } from '../../src/app/create-app';
import { APP_START_BUDGET_MS, CHANNEL, FAY, cardOf, cardText, channelMessage, personalMessage, startCohortApp } from '../cohorts/cohort-harness';
import { channelRoster, startTeamsStandIn } from '../cohorts/teams-connector-stand-in';
import { exchange, localeString, tempDir } from '../support/app-harness';
import { TEST_DATABASE_URL, testTable } from '../support/postgres';

const MEMBER = { id: '29:m1', name: 'Member 1', aadObjectId: 'aad-m1' };
const CHANNEL_POSTS = `/v3/conversations/${CHANNEL}/activities`;
const minuteAhead = () => new Date(Date.now() + 61_000);

/** The connector stand-in, with the channel's answers to each post attempt under the test's control. */
async function standInWithFaults() {
  const attempts: number[] = [];
  let answers: number[] = [];
  const standIn = await startTeamsStandIn({
    channels: { [CHANNEL]: channelRoster(3) },
    fail: ({ method, path }) => {
      // Proactive posts go to /activities/<continuation id>.
      if (method !== 'POST' || !path.startsWith(CHANNEL_POSTS)) return undefined;
      const status = answers.shift() ?? 200;
      attempts.push(status);
      if (status === 429) return { status, headers: { 'Retry-After': '0' } };
      return status === 200 ? undefined : { status };
    },
  });
  const channelPosts = () => standIn.posts.filter((p) => p.conversationId === CHANNEL).map((p) => cardText(cardOf(p.activity)));
  return { standIn, attempts, channelPosts, answerNext: (statuses: number[]) => (answers = statuses) };
}

/** The text of the one reply to a channel message. */
async function say(url: string, serviceUrl: string, text: string, from: Record<string, string> = FAY): Promise<string> {
  const replies = await exchange(url, channelMessage(serviceUrl, text, from));
  expect(replies).toHaveLength(1);
  return cardText(cardOf(replies[0]));
}

const scheduledId = (text: string) => /Id: ([0-9a-f]{8})\./.exec(text)?.[1];

describe('scheduled discussion prompts with two instances on PostgreSQL', () => {
  const documents = testTable('sched_docs');
  const jobsTable = testTable('sched_jobs');
  const dataDir = tempDir();
  const apps: App[] = [];
  let net: Awaited<ReturnType<typeof standInWithFaults>>;
  const start = async () => {
    const started = await startCohortApp(
      { FACILITATORS: 'aad-fay', STORAGE: 'postgres', DATABASE_URL: TEST_DATABASE_URL, DATA_DIR: dataDir, LOCAL_SERVICE_URLS: net.standIn.serviceUrl, SCHEDULE_TICK_SECONDS: '0' },
      new PostgresStorage(TEST_DATABASE_URL, documents.name),
      new PostgresJobs(TEST_DATABASE_URL, jobsTable.name),
    );
    apps.push(started.app);
    return started;
  };
  const tickAll = (instances: App[], now: Date) => Promise.all(instances.map((app) => app.discussionSchedule.tick(now)));

  beforeAll(async () => {
    await Promise.all([documents.drop(), jobsTable.drop()]);
    net = await standInWithFaults();
  });
  afterAll(async () => {
    for (const app of apps) await app.stop();
    await net.standIn.close();
    await Promise.all([documents.drop(), jobsTable.drop()]);
  });

  it(
    'posts a prompt scheduled a minute ahead exactly once, survives a restart, retries a 429 and reports a 403 to the facilitator',
    async () => {
      const a = await start();
      const b = await start();
      const serviceUrl = net.standIn.serviceUrl;
      // The facilitator has a personal chat with the bot (where failures are reported).
      await exchange(a.url, personalMessage(serviceUrl, 'help'));

      // Refusals: a member who is no facilitator, a time in the past, an unknown module.
      expect(await say(a.url, serviceUrl, 'schedule discuss 2 in 1 min', MEMBER)).toBe(localeString('en', 'facilitation', 'schedule.errors.notFacilitator'));
      expect(await say(a.url, serviceUrl, 'schedule discuss 2 2026-01-05 10:00')).toMatch(/has already passed: choose a time in the future/);
      expect(await say(a.url, serviceUrl, 'schedule discuss 9 in 1 min')).toMatch(/^I do not know that module\. Choose a number from 1 to 6/);

      // A facilitator schedules module 2 a minute ahead; both instances poll.
      const confirmation = await say(a.url, serviceUrl, 'schedule discuss 2 in 1 min');
      const id = scheduledId(confirmation)!;
      expect(confirmation).toMatch(/the discussion prompt for module 2 \(.+\) will be posted here on/);
      expect(await say(b.url, serviceUrl, 'schedule')).toContain(id);
      await tickAll([a.app, b.app], new Date(Date.now() + 30_000));
      expect(net.channelPosts()).toHaveLength(0);
      const due = minuteAhead();
      await tickAll([a.app, b.app, a.app, b.app], due);
      await tickAll([a.app, b.app], new Date(due.getTime() + 60_000));
      expect(net.channelPosts()).toHaveLength(1);
      const module2 = a.app.catalog.get('en').modules[1];
      const prompt = net.channelPosts()[0];
      expect(prompt).toContain(module2.reflection.slice(0, 60));
      // The card says plainly that replies in its thread are collected for the facilitator's summary, and how to opt out.
      expect(prompt).toContain("Replies in this thread are collected for the facilitator's summary");
      expect(prompt).toContain('To keep a reply out of the summary, start it with #private: it is not stored.');
      expect(prompt).toContain('About 20 minutes, from');
      // The post's activity id is kept with the job, for following its thread.
      expect(await a.app.jobs.get(id)).toMatchObject({ state: 'done', attempts: 1, result: { messageId: expect.stringMatching(/^activity-\d+$/) } });
      expect(await say(a.url, serviceUrl, 'schedule')).toBe(`${localeString('en', 'facilitation', 'schedule.list.title')}\n${localeString('en', 'facilitation', 'schedule.list.none')}`);

      // Scheduled on B, then both instances stop; a new instance posts it when due.
      const restartId = scheduledId(await say(b.url, serviceUrl, 'schedule discuss 3 in 1 min'))!;
      await a.app.stop();
      await b.app.stop();
      const c = await start();
      const d = await start();
      await tickAll([c.app, d.app], minuteAhead());
      expect(net.channelPosts()).toHaveLength(2);
      expect(net.channelPosts()[1]).toContain(c.app.catalog.get('en').modules[2].reflection.slice(0, 60));
      expect(await c.app.jobs.get(restartId)).toMatchObject({ state: 'done' });

      // The channel keeps throttling (429, Retry-After: 0) beyond the connector client's own quick retries:
      // the job goes back to the queue, and the next pass posts it once.
      net.attempts.length = 0;
      net.answerNext(Array.from({ length: 20 }, () => 429));
      const throttledId = scheduledId(await say(c.url, serviceUrl, 'schedule discuss 4 in 1 min'))!;
      const throttledAt = minuteAhead();
      await c.app.discussionSchedule.tick(throttledAt);
      expect(net.attempts.length).toBeGreaterThan(0);
      expect(net.attempts.every((s) => s === 429)).toBe(true);
      expect(await c.app.jobs.get(throttledId)).toMatchObject({ state: 'scheduled', attempts: 1, lastError: 'status 429' });
      net.answerNext([]);
      for (let pass = 0; pass < 3; pass++) await tickAll([c.app, d.app], throttledAt);
      expect(net.attempts.filter((s) => s === 200)).toHaveLength(1);
      expect(net.channelPosts()).toHaveLength(3);
      expect(await c.app.jobs.get(throttledId)).toMatchObject({ state: 'done', attempts: 2 });

      // The bot was removed from the channel (403): not retried, and the facilitator is told privately.
      net.attempts.length = 0;
      net.answerNext([403, 403, 403]);
      const refusedId = scheduledId(await say(d.url, serviceUrl, 'schedule discuss 5 in 1 min'))!;
      const before = net.standIn.postsTo(FAY.id).length;
      const refusedAt = minuteAhead();
      await tickAll([c.app, d.app], refusedAt);
      await tickAll([c.app, d.app], new Date(refusedAt.getTime() + 3_600_000));
      expect(net.attempts).toEqual([403]);
      expect(net.channelPosts()).toHaveLength(3);
      expect(await c.app.jobs.get(refusedId)).toMatchObject({ state: 'failed', lastError: 'http_403' });
      const reports = net.standIn.postsTo(FAY.id).slice(before);
      expect(reports).toHaveLength(1);
      expect(cardText(cardOf(reports[0]))).toMatch(/could not be posted: I am no longer in that channel, or may not post there\. It will not be retried/);
    },
    APP_START_BUDGET_MS,
  );
});

describe('scheduled discussion prompts on SQLite (the embedded default)', () => {
  const dataDir = tempDir();
  const apps: App[] = [];
  let net: Awaited<ReturnType<typeof standInWithFaults>>;
  const start = async () => {
    const started = await startCohortApp({ FACILITATORS: 'aad-fay', DATA_DIR: dataDir, LOCAL_SERVICE_URLS: net.standIn.serviceUrl, SCHEDULE_TICK_SECONDS: '0' });
    apps.push(started.app);
    return started;
  };

  beforeAll(async () => {
    net = await standInWithFaults();
  });
  afterAll(async () => {
    for (const app of apps) await app.stop();
    await net.standIn.close();
  });

  it(
    'keeps a scheduled prompt across a restart, lists and cancels, and posts it once when due',
    async () => {
      const first = await start();
      const serviceUrl = net.standIn.serviceUrl;
      const id = scheduledId(await say(first.url, serviceUrl, 'schedule discuss 2 in 1 min'))!;
      const cancelled = scheduledId(await say(first.url, serviceUrl, 'schedule discuss 3 in 1 min'))!;
      // The list shows both, each with its Cancel button.
      const [listed] = await exchange(first.url, channelMessage(serviceUrl, 'schedule'));
      const card = JSON.stringify(cardOf(listed));
      // One Cancel button per planned prompt (Action.Execute, with an Action.Submit fallback).
      expect(card.match(/"type":"Action\.Execute","title":"Cancel","verb":"schedule\.cancel"/g) ?? []).toHaveLength(2);
      expect(card).toContain(id);
      expect(card).toContain(cancelled);
      expect(await say(first.url, serviceUrl, `schedule cancel ${cancelled}`)).toContain(`Cancelled ${cancelled}: it will not be posted.`);
      await first.app.stop();

      const second = await start();
      await second.app.discussionSchedule.tick(new Date(Date.now() + 30_000));
      expect(net.channelPosts()).toHaveLength(0);
      const due = minuteAhead();
      await second.app.discussionSchedule.tick(due);
      await second.app.discussionSchedule.tick(new Date(due.getTime() + 3_600_000));
      expect(net.channelPosts()).toHaveLength(1);
      expect(net.channelPosts()[0]).toContain(second.app.catalog.get('en').modules[1].reflection.slice(0, 60));
      expect(await second.app.jobs.get(id)).toMatchObject({ state: 'done', result: { messageId: expect.stringMatching(/^activity-\d+$/) } });
      expect(await second.app.jobs.get(cancelled)).toMatchObject({ state: 'cancelled' });
    },
    APP_START_BUDGET_MS,
  );
});
