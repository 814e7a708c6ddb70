import { createOpenAiSetup } from '../../src/adapters/llm/openai-client';
import { MeasuredProactive } from '../../src/adapters/metrics/measured-proactive';
import { withStorageMetrics } from '../../src/adapters/metrics/measured-storage';
import { PrometheusMetrics } from '../../src/adapters/metrics/prometheus-metrics';
import { createLlm } from '../../src/adapters/retrieval/qa-runtime';
import { SqliteStorage } from '../../src/adapters/storage/sqlite-storage';
import { registerHelp } from '../../src/core/basics/help';
import { Coach } from '../../src/core/coach';
import { CommandRegistry } from '../../src/core/command-registry';
import { learnerKey } from '../../src/core/learner';
import { registerReminders } from '../../src/core/reminders/register-reminders';
import { ReminderScheduler } from '../../src/core/reminders/reminder-scheduler';
import { createLocalizer } from '../../src/i18n/i18n';
import { withCorrelation } from '../../src/logging/correlation';
import { createLogger } from '../../src/logging/logger';
import { LlmError } from '../../src/ports/llm';
import type { ProactiveOutcome, ProactivePort } from '../../src/ports/proactive';
import { CREATE_ONLY, StorageError } from '../../src/ports/storage';
import { completion, failure, FakeOpenAiServer } from '../qa/fake-openai-server';
import { sample } from './prometheus-text';

const logger = createLogger({ level: 'silent' });

/** A logger whose JSON lines are kept for the test to read. */
function recordingLogger(): { logger: ReturnType<typeof createLogger>; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = { write: (line: string) => void lines.push(JSON.parse(line)) };
  return { logger: createLogger({ level: 'info', destination }), lines };
}

describe('what the adapters report to /metrics', () => {
  it('counts failed storage calls by operation, but not optimistic-concurrency conflicts', async () => {
    const metrics = new PrometheusMetrics({ processMetrics: false });
    const inner = new SqliteStorage(':memory:');
    const storage = withStorageMetrics(inner, metrics);
    await storage.open();
    await storage.write('k', { v: 1 });
    // A conflict is how concurrent instances find out they lost a race: the caller retries.
    await expect(storage.write('k', { v: 2 }, { ifMatch: CREATE_ONLY })).rejects.toMatchObject({ code: 'storage_conflict' });
    await storage.close();
    // A closed database fails every call: that is an error an operator must see.
    await expect(storage.read('k')).rejects.toThrow();
    await expect(storage.list('')).rejects.toThrow();
    const text = await metrics.scrape();
    expect(sample(text, 'govai_storage_errors_total', { operation: 'read' })).toBe(1);
    expect(sample(text, 'govai_storage_errors_total', { operation: 'list' })).toBe(1);
    expect(sample(text, 'govai_storage_errors_total', { operation: 'write' })).toBeUndefined();
    expect(storage).toBeInstanceOf(SqliteStorage);
  });

  it('counts a thrown storage error raised before any promise exists', async () => {
    const metrics = new PrometheusMetrics({ processMetrics: false });
    class FullDisk extends SqliteStorage {
      override delete(_key: string): Promise<boolean> {
        throw new StorageError('disk full');
      }
    }
    const storage = withStorageMetrics(new FullDisk(':memory:'), metrics);
    expect(() => storage.delete('k')).toThrow('disk full');
    expect(sample(await metrics.scrape(), 'govai_storage_errors_total', { operation: 'delete' })).toBe(1);
  });

  it('counts proactive sends by channel and outcome, a throwing sender as failed', async () => {
    const metrics = new PrometheusMetrics({ processMetrics: false });
    const outcomes: (ProactiveOutcome | Error)[] = ['sent', 'throttled', new Error('connector down')];
    const inner: ProactivePort = {
      async sendToLearner() {
        const next = outcomes.shift()!;
        if (next instanceof Error) throw next;
        return next;
      },
    };
    const proactive = new MeasuredProactive(inner, metrics);
    expect(await proactive.sendToLearner(learnerKey('msteams', 'aad-ana'), [])).toBe('sent');
    expect(await proactive.sendToLearner(learnerKey('slack', 'U1'), [])).toBe('throttled');
    await expect(proactive.sendToLearner(learnerKey('slack', 'U1'), [])).rejects.toThrow('connector down');
    const text = await metrics.scrape();
    expect(sample(text, 'govai_proactive_sends_total', { channel: 'msteams', outcome: 'sent' })).toBe(1);
    expect(sample(text, 'govai_proactive_sends_total', { channel: 'slack', outcome: 'throttled' })).toBe(1);
    expect(sample(text, 'govai_proactive_sends_total', { channel: 'slack', outcome: 'failed' })).toBe(1);
  });

  describe('model calls over the OpenAI wire format', () => {
    const server = new FakeOpenAiServer();
    let url: string;
    beforeAll(async () => {
      url = await server.start();
    });
    afterAll(() => server.close());

    it('counts calls, errors by code, latency and the tokens the endpoint reports', async () => {
      const metrics = new PrometheusMetrics({ processMetrics: false });
      const setup = createOpenAiSetup({
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: `${url}/v1`,
        OPENAI_MODEL: 'test-model',
        OPENAI_EMBEDDING_MODEL: undefined,
        AZURE_OPENAI_ENDPOINT: undefined,
        AZURE_OPENAI_API_KEY: undefined,
        AZURE_OPENAI_DEPLOYMENT: undefined,
        AZURE_OPENAI_EMBEDDING_DEPLOYMENT: undefined,
        AZURE_OPENAI_API_VERSION: '2024-10-21',
        LLM_TIMEOUT_MS: 5000,
        LLM_MAX_RETRIES: 0,
      });
      const llm = createLlm(setup, metrics)!;
      const input = { question: 'When did Estonia launch X-Road?', lang: 'en' as const, passages: [{ n: 1, title: 'X-Road', text: 'Estonia launched X-Road in 2001.' }] };
      server.script(completion('In 2001 [1].'), failure(500));
      expect(await llm.answer(input)).toBe('In 2001 [1].');
      await expect(llm.answer(input)).rejects.toBeInstanceOf(LlmError);
      const text = await metrics.scrape();
      expect(sample(text, 'govai_llm_calls_total', { operation: 'answer', outcome: 'ok' })).toBe(1);
      expect(sample(text, 'govai_llm_calls_total', { operation: 'answer', outcome: 'server-error' })).toBe(1);
      expect(sample(text, 'govai_llm_call_duration_seconds_count', { operation: 'answer', outcome: 'ok' })).toBe(1);
      // The fake endpoint reports 10 prompt and 10 completion tokens per completion.
      expect(sample(text, 'govai_llm_tokens_total', { type: 'prompt' })).toBe(10);
      expect(sample(text, 'govai_llm_tokens_total', { type: 'completion' })).toBe(10);
    });
  });

  it('reports how many reminders the last pass found due and how late they were', async () => {
    const metrics = new PrometheusMetrics({ processMetrics: false });
    const localizer = await createLocalizer();
    const storage = new SqliteStorage(':memory:');
    await storage.open();
    const registry = new CommandRegistry(localizer);
    registerHelp(registry);
    registerReminders(registry, storage);
    const coach = new Coach({ storage, localizer, registry, logger, defaultLanguage: 'en', metrics });
    const sent: string[] = [];
    const proactive = new MeasuredProactive(
      {
        sendToLearner: async (key) => {
          sent.push(key);
          return 'sent';
        },
      },
      metrics,
    );
    const scheduler = new ReminderScheduler({ storage, proactive, localizer, registry, logger, defaultLanguage: 'en', metrics });
    const setAt = new Date('2026-11-28T06:00:00Z');
    for (const user of ['aad-ana', 'aad-ben']) {
      await coach.handle({ channelId: 'msteams', userId: user, conversationId: `a:${user}`, scope: 'personal', text: 'remind me at 08:30', now: setAt, timezone: 'Europe/Paris' });
    }
    // Both were due at 07:30Z; the pass runs five minutes later.
    await scheduler.tick(new Date('2026-11-28T07:35:00Z'));
    expect(sent).toHaveLength(2);
    let text = await metrics.scrape();
    expect(sample(text, 'govai_job_queue_due', { queue: 'reminders' })).toBe(2);
    expect(sample(text, 'govai_job_lag_seconds_count', { queue: 'reminders' })).toBe(2);
    expect(sample(text, 'govai_job_lag_seconds_sum', { queue: 'reminders' })).toBe(600);
    expect(sample(text, 'govai_proactive_sends_total', { channel: 'msteams', outcome: 'sent' })).toBe(2);
    expect(sample(text, 'govai_turns_total', { channel: 'msteams', kind: 'message', outcome: 'ok' })).toBe(2);

    await scheduler.tick(new Date('2026-11-28T08:00:00Z'));
    text = await metrics.scrape();
    expect(sample(text, 'govai_job_queue_due', { queue: 'reminders' })).toBe(0);
    await storage.close();
  });
});

describe('correlation ids in the core', () => {
  it("gives the learner the request's correlation id as the reference of a failed turn, the one its error log carries", async () => {
    const { logger: recorded, lines } = recordingLogger();
    const localizer = await createLocalizer();
    const storage = new SqliteStorage(':memory:');
    await storage.open();
    const registry = new CommandRegistry(localizer);
    registry.fallback(() => {
      throw new Error('index exploded');
    });
    const coach = new Coach({ storage, localizer, registry, logger: recorded, defaultLanguage: 'en' });
    const input = { channelId: 'msteams', userId: 'aad-ana', conversationId: 'a:1', scope: 'personal' as const, text: 'what is X-Road?', locale: 'en-US' };
    const { replies } = await withCorrelation('proxy-request-0042', () => coach.handle(input));
    expect(replies[0].intent).toBe('error');
    expect(replies[0].text).toContain('proxy-request-0042');
    expect(lines.find((l) => l.msg === 'turn failed')).toMatchObject({ correlationId: 'proxy-request-0042' });
    await storage.close();
  });

  it("runs each reminder pass under its own correlation id, carried by the pass's log lines", async () => {
    const { logger: recorded, lines } = recordingLogger();
    const localizer = await createLocalizer();
    const storage = new SqliteStorage(':memory:');
    await storage.open();
    const registry = new CommandRegistry(localizer);
    registerReminders(registry, storage);
    const coach = new Coach({ storage, localizer, registry, logger: recorded, defaultLanguage: 'en' });
    await coach.handle({ channelId: 'msteams', userId: 'aad-ana', conversationId: 'a:1', scope: 'personal', text: 'remind me at 08:30', now: new Date('2026-11-28T06:00:00Z'), timezone: 'UTC' });
    const scheduler = new ReminderScheduler({ storage, proactive: { sendToLearner: async () => 'throttled' }, localizer, registry, logger: recorded, defaultLanguage: 'en' });
    await scheduler.tick(new Date('2026-11-28T08:31:00Z'));
    await scheduler.tick(new Date('2026-11-29T08:31:00Z'));
    const undelivered = lines.filter((l) => l.msg === 'reminder not delivered');
    expect(undelivered).toHaveLength(2);
    for (const line of undelivered) expect(line.correlationId).toMatch(/^[0-9a-f]{12}$/);
    expect(undelivered[0].correlationId).not.toBe(undelivered[1].correlationId);
    await storage.close();
  });
});
