import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { FlexibleRateLimits, limitSettingsOf } from '../../src/adapters/rate-limits/flexible-rate-limits';
import { QaService, type QaAnswer } from '../../src/core/qa/answer-service';
import type { TurnInput } from '../../src/core/turn';
import type { CourseProgress } from '../../src/core/course/progress-state';
import { startTestApp, type RunningApp } from '../support/app-harness';
import { TEST_DATABASE_URL } from '../support/postgres';
import { completion, FakeOpenAiServer, fakeServerLlm } from '../qa/fake-openai-server';
import { fixtureRetriever } from '../qa/qa-fixtures';

const silent = pino({ level: 'silent' });
const OFF = {
  RATE_LIMIT_TURNS_PER_MINUTE: 0,
  RATE_LIMIT_TENANT_TURNS_PER_MINUTE: 0,
  LLM_CALLS_PER_MINUTE: 0,
  LLM_TENANT_CALLS_PER_MINUTE: 0,
  LLM_DAILY_CALLS_PER_LEARNER: 0,
  LLM_DAILY_CALLS_PER_TENANT: 0,
  LLM_DAILY_CALLS_TOTAL: 0,
};

describe('turn limits per learner and per tenant (the real app on SQLite)', () => {
  let running: RunningApp;
  let n = 0;
  const send = (userId: string, input: Partial<TurnInput>, tenantId = 'tenant-a') =>
    running.app.coach.handle({ channelId: 'msteams', userId, tenantId, conversationId: `c-${userId}`, scope: 'personal', activityId: `a${++n}`, ...input });
  const textOf = async (userId: string, input: Partial<TurnInput>, tenantId?: string) => (await send(userId, input, tenantId)).replies.map((r) => r.text ?? '').join('\n');

  beforeAll(async () => {
    running = await startTestApp({ RATE_LIMIT_TURNS_PER_MINUTE: '5', RATE_LIMIT_TENANT_TURNS_PER_MINUTE: '12' });
  });
  afterAll(() => running.stop());

  it('tells a learner who floods to wait, in their language, and their refused turns change nothing', async () => {
    await send('flooder', { text: 'langue français' });
    await send('flooder', { action: { command: 'lesson.open', args: { lesson: 'm1-l1' } } });
    const place = async () => ((await running.app.coach.readLearner('msteams', 'flooder'))!.data.course as CourseProgress).place;
    const replies: string[] = [];
    for (let i = 0; i < 6; i++) replies.push(await textOf('flooder', { action: { command: 'next' } }));
    // 2 turns above plus 3 "next" fill the 5 points; the other 3 are refused.
    expect(replies.slice(0, 3).every((r) => !r.includes('plus vite'))).toBe(true);
    expect(replies.slice(3).every((r) => r.includes('Vous envoyez des messages plus vite que je ne peux répondre') && r.includes("rien de ce que vous avez fait n'est perdu"))).toBe(true);
    expect(await place()).toMatchObject({ kind: 'step', lessonId: 'm1-l1', index: 3 });
    // The refusals are counted for the operators.
    expect(await (await fetch(`${running.url}/metrics`)).text()).toMatch(/^govai_rate_limited_turns_total\{channel="msteams"\} 3$/m);
    // Someone else in the same organisation is not held back by one person's flood.
    expect(await textOf('colleague', { text: 'help' })).not.toContain('faster than I can answer');
  });

  it('limits a whole tenant, and leaves other tenants alone', async () => {
    const answers: string[] = [];
    for (const user of ['t1', 't2', 't3', 't4']) for (let i = 0; i < 3; i++) answers.push(await textOf(`busy-${user}`, { text: 'help' }, 'tenant-b'));
    expect(answers.slice(0, 12).filter((a) => a.includes('Many people in your organisation')).length).toBe(0);
    expect(await textOf('busy-t5', { text: 'help' }, 'tenant-b')).toContain('Many people in your organisation are using the course right now');
    expect(await textOf('elsewhere', { text: 'help' }, 'tenant-c')).not.toContain('Many people');
  });
});

describe('model budgets', () => {
  let server: FakeOpenAiServer;
  let url: string;
  beforeEach(async () => {
    server = new FakeOpenAiServer();
    url = await server.start();
  });
  afterEach(() => server.close());

  const serviceWith = async (limits: Partial<typeof OFF>) =>
    new QaService({
      retrieval: await fixtureRetriever(),
      llm: fakeServerLlm(url),
      maxQuestionChars: 500,
      limits: new FlexibleRateLimits(limitSettingsOf({ ...OFF, ...limits }), { logger: silent }),
    });
  const generator = (a: QaAnswer) => (a.kind === 'answer' ? { generator: a.generator, notices: a.notices } : { generator: a.kind, notices: [] });

  it("past a learner's per-minute model limit, answers from the course text and says why; the model is not called", async () => {
    server.script(completion('Estonia launched X-Road in 2001 [1].'));
    const qa = await serviceWith({ LLM_CALLS_PER_MINUTE: 2 });
    const ask = (learner: string) => qa.ask({ question: 'When did Estonia launch X-Road?', lang: 'en', budget: { learner } });
    expect(generator(await ask('ana'))).toEqual({ generator: 'llm', notices: [] });
    expect(generator(await ask('ana'))).toEqual({ generator: 'llm', notices: [] });
    expect(generator(await ask('ana'))).toEqual({ generator: 'extractive', notices: ['llm-limited'] });
    expect(server.requests.filter((r) => r.path.endsWith('/chat/completions'))).toHaveLength(2);
    expect(generator(await ask('ben'))).toEqual({ generator: 'llm', notices: [] });
  });

  it('a daily budget for the whole deployment stops model calls for everyone', async () => {
    server.script(completion('Estonia launched X-Road in 2001 [1].'));
    const qa = await serviceWith({ LLM_DAILY_CALLS_TOTAL: 3 });
    const results = [];
    for (const learner of ['a', 'b', 'c', 'd', 'e']) results.push(generator(await qa.ask({ question: 'When did Estonia launch X-Road?', lang: 'en', budget: { learner } })).generator);
    expect(results).toEqual(['llm', 'llm', 'llm', 'extractive', 'extractive']);
  });
});

describe('limits shared by several instances (the real PostgreSQL)', () => {
  it("counts one learner's turns across two instances, so switching instance does not double the allowance", async () => {
    const settings = limitSettingsOf({ ...OFF, RATE_LIMIT_TURNS_PER_MINUTE: 4 });
    const first = new FlexibleRateLimits(settings, { logger: silent, databaseUrl: TEST_DATABASE_URL });
    const second = new FlexibleRateLimits(settings, { logger: silent, databaseUrl: TEST_DATABASE_URL });
    try {
      const learner = `msteams:${randomUUID()}`;
      const verdicts = [];
      for (let i = 0; i < 6; i++) verdicts.push((await (i % 2 ? second : first).consume('turns.learner', learner)).allowed);
      expect(verdicts).toEqual([true, true, true, true, false, false]);
      const refused = await first.consume('turns.learner', learner);
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
      expect((await second.consume('turns.learner', `msteams:${randomUUID()}`)).allowed).toBe(true);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
