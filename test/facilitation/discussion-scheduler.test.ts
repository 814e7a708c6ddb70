import { SqliteJobs } from '../../src/adapters/jobs/sqlite-jobs';
import { DiscussionScheduler } from '../../src/core/facilitation/schedule/discussion-scheduler';
import { DISCUSSION_JOB, type DiscussionJobPayload } from '../../src/core/facilitation/schedule/scheduled-prompt';
import type { ChannelPostResult } from '../../src/ports/channel-posts';
import type { ProactiveOutcome } from '../../src/ports/proactive';
import type { Reply } from '../../src/intents/reply';
import { localizer, realCatalog, silentLogger } from '../course/harness';
import { DiscussionThreads } from '../../src/core/facilitation/threads/discussion-threads';
import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';

const T0 = new Date('2026-12-07T10:00:00Z');
const plus = (ms: number) => new Date(T0.getTime() + ms);

async function setup(answers: ChannelPostResult[], options: { maxAttempts?: number } = {}) {
  const jobs = new SqliteJobs(':memory:');
  await jobs.open();
  const storage = new SqliteStorage(':memory:');
  await storage.open();
  const threads = new DiscussionThreads(storage, '#private');
  const posted: Reply[][] = [];
  const told: { key: string; replies: Reply[] }[] = [];
  const scheduler = new DiscussionScheduler({
    jobs,
    posters: {
      msteams: {
        post: async (_conversation, replies) => {
          posted.push(replies);
          return answers.shift() ?? { outcome: 'sent', messageId: 'activity-1' };
        },
      },
    },
    proactive: {
      sendToLearner: async (key, replies): Promise<ProactiveOutcome> => {
        told.push({ key, replies });
        return 'sent';
      },
    },
    catalog: await realCatalog(),
    localizer: await localizer(),
    logger: silentLogger,
    threads,
    baseDelayMs: 30_000,
    maxDelayMs: 10 * 60_000,
    ...options,
  });
  const payload: DiscussionJobPayload = {
    channelId: 'msteams',
    conversationId: '19:c',
    moduleId: 'm2',
    lang: 'fr',
    timeZone: 'Europe/Paris',
    facilitatorKey: 'learner:msteams:fay',
    facilitatorLang: 'pt',
  };
  const job = await jobs.schedule({ kind: DISCUSSION_JOB, group: 'msteams:19:c', payload, runAt: T0 }, plus(-60_000));
  return { jobs, scheduler, posted, told, job, threads };
}

describe('the scheduled discussion pass', () => {
  it('backs off exponentially on 5xx, honours Retry-After on 429, and posts once', async () => {
    const { jobs, scheduler, posted, job, threads } = await setup([
      { outcome: 'retry', status: 503 },
      { outcome: 'retry', status: 502 },
      { outcome: 'retry', status: 429, retryAfterMs: 120_000 },
    ]);
    await scheduler.tick(T0);
    expect((await jobs.get(job.id))?.runAt).toBe(plus(30_000).toISOString());
    await scheduler.tick(plus(29_000));
    expect(posted).toHaveLength(1);
    await scheduler.tick(plus(30_000));
    expect((await jobs.get(job.id))?.runAt).toBe(plus(30_000 + 60_000).toISOString());
    await scheduler.tick(plus(90_000));
    expect((await jobs.get(job.id))?.runAt).toBe(plus(90_000 + 120_000).toISOString());
    await scheduler.tick(plus(210_000));
    await scheduler.tick(plus(3_600_000));
    expect(posted).toHaveLength(4);
    expect(await jobs.get(job.id)).toMatchObject({ state: 'done', attempts: 4, result: { messageId: 'activity-1' } });
    // The prompt is in the language it was scheduled in.
    expect(posted[3][0]).toMatchObject({ lang: 'fr', intent: 'reflection' });
    expect(posted[3][0].text).toContain("Les réponses de ce fil sont recueillies pour le résumé de l'animateur");
    // The posted prompt's thread is followed (recorded before the job is settled), so its replies are kept.
    expect(await threads.threadOf({ channelId: 'msteams', conversationId: '19:c', rootId: 'activity-1' })).toMatchObject({ moduleId: 'm2', lang: 'fr' });
  });

  it('gives up after the last attempt and tells the facilitator, in their language', async () => {
    const { jobs, scheduler, posted, told, job } = await setup(
      Array.from({ length: 5 }, () => ({ outcome: 'retry' as const, status: 500 })),
      { maxAttempts: 3 },
    );
    for (let minute = 0; minute < 60; minute++) await scheduler.tick(plus(minute * 60_000));
    expect(posted).toHaveLength(3);
    expect(await jobs.get(job.id)).toMatchObject({ state: 'failed' });
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ key: 'learner:msteams:fay', replies: [{ lang: 'pt', title: 'Debate agendado não publicado' }] });
  });
});
