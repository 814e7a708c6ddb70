import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { JobQueue, LlmOperation, LlmOutcome, MetricsPort, ProactiveSendOutcome, QaOutcome, TurnKind, TurnOutcome } from '../../ports/metrics';

/**
 * Channel ids come from incoming activities: anything outside this list is counted as
 * "other", so a client inventing channel ids cannot grow the label set without bound.
 */
const KNOWN_CHANNELS = new Set(['msteams', 'slack', 'webchat', 'directline', 'emulator', 'terminal', 'test']);
const channelLabel = (channelId: string): string => (KNOWN_CHANNELS.has(channelId) ? channelId : 'other');

const TURN_KINDS: readonly TurnKind[] = ['message', 'action', 'event'];
const TURN_OUTCOMES: readonly TurnOutcome[] = ['ok', 'duplicate', 'error'];

/** Teams retries a turn not answered within 15 s: the buckets resolve the range below that. */
const TURN_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15];
const LLM_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30];
const LAG_BUCKETS = [1, 10, 60, 300, 900, 3600, 7200];

interface TurnSeries {
  count: Counter.Internal;
  seconds: Histogram.Internal<string>;
}

/**
 * MetricsPort on prom-client, with its own registry (several apps can live in one process,
 * as in the tests). The label children of the per-turn series are created once per channel
 * and then reused, so counting a turn allocates nothing.
 */
export class PrometheusMetrics implements MetricsPort {
  readonly registry = new Registry();
  private readonly turns = new Counter({
    name: 'govai_turns_total',
    help: 'Turns handled, by channel, kind (message, action, event) and outcome',
    labelNames: ['channel', 'kind', 'outcome'],
    registers: [this.registry],
  });
  private readonly turnSeconds = new Histogram({
    name: 'govai_turn_duration_seconds',
    help: 'Time from a turn arriving at the coach to its replies',
    labelNames: ['channel', 'kind', 'outcome'],
    buckets: TURN_BUCKETS,
    registers: [this.registry],
  });
  private readonly qaAnswers = new Counter({
    name: 'govai_qa_answers_total',
    help: 'Questions answered with citations, declined as not covered by the course, or escalated to a person',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly llmCalls = new Counter({
    name: 'govai_llm_calls_total',
    help: 'Model calls by operation and outcome (ok or the error code)',
    labelNames: ['operation', 'outcome'],
    registers: [this.registry],
  });
  private readonly llmSeconds = new Histogram({
    name: 'govai_llm_call_duration_seconds',
    help: 'Model call time, retries included',
    labelNames: ['operation', 'outcome'],
    buckets: LLM_BUCKETS,
    registers: [this.registry],
  });
  private readonly llmTokenCount = new Counter({
    name: 'govai_llm_tokens_total',
    help: 'Tokens the model endpoint reported, by type (prompt, completion)',
    labelNames: ['type'],
    registers: [this.registry],
  });
  private readonly proactive = new Counter({
    name: 'govai_proactive_sends_total',
    help: 'Messages sent outside a turn (reminders), by channel and outcome',
    labelNames: ['channel', 'outcome'],
    registers: [this.registry],
  });
  private readonly storageErrors = new Counter({
    name: 'govai_storage_errors_total',
    help: 'Storage calls that failed (optimistic-concurrency conflicts excluded), by operation',
    labelNames: ['operation'],
    registers: [this.registry],
  });
  private readonly rateLimitedTurns = new Counter({ name: 'govai_rate_limited_turns_total', help: 'Turns refused by a rate limit, by channel', labelNames: ['channel'], registers: [this.registry] });
  private readonly jobsDueGauge = new Gauge({ name: 'govai_job_queue_due', help: 'Jobs found due by the last pass of a queue', labelNames: ['queue'], registers: [this.registry] });
  private readonly jobLagSeconds = new Histogram({
    name: 'govai_job_lag_seconds',
    help: 'How late a due job was when it started',
    labelNames: ['queue'],
    buckets: LAG_BUCKETS,
    registers: [this.registry],
  });
  private readonly turnSeries = new Map<string, TurnSeries[]>();

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'govai_' });
    // Series a dashboard alerts on exist from the start, at zero, instead of appearing with the first event.
    for (const outcome of ['answered', 'declined', 'escalated'] satisfies QaOutcome[]) this.qaAnswers.labels(outcome).inc(0);
    for (const type of ['prompt', 'completion']) this.llmTokenCount.labels(type).inc(0);
    this.jobsDueGauge.labels('reminders').set(0);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The text exposition format for a scrape. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  turn(channelId: string, kind: TurnKind, outcome: TurnOutcome, seconds: number): void {
    const series = this.seriesFor(channelLabel(channelId))[TURN_KINDS.indexOf(kind) * TURN_OUTCOMES.length + TURN_OUTCOMES.indexOf(outcome)];
    series.count.inc();
    series.seconds.observe(seconds);
  }

  qa(outcome: QaOutcome): void {
    this.qaAnswers.labels(outcome).inc();
  }

  llmCall(operation: LlmOperation, outcome: LlmOutcome, seconds: number): void {
    this.llmCalls.labels(operation, outcome).inc();
    this.llmSeconds.labels(operation, outcome).observe(seconds);
  }

  llmTokens(promptTokens: number, completionTokens: number): void {
    this.llmTokenCount.labels('prompt').inc(promptTokens);
    this.llmTokenCount.labels('completion').inc(completionTokens);
  }

  proactiveSend(channelId: string, outcome: ProactiveSendOutcome): void {
    this.proactive.labels(channelLabel(channelId), outcome).inc();
  }

  storageError(operation: string): void {
    this.storageErrors.labels(operation).inc();
  }

  rateLimited(channelId: string): void {
    this.rateLimitedTurns.labels(channelLabel(channelId)).inc();
  }

  jobsDue(queue: JobQueue, count: number): void {
    this.jobsDueGauge.labels(queue).set(count);
  }

  jobLag(queue: JobQueue, seconds: number): void {
    this.jobLagSeconds.labels(queue).observe(seconds);
  }

  private seriesFor(channel: string): TurnSeries[] {
    let series = this.turnSeries.get(channel);
    if (!series) {
      series = TURN_KINDS.flatMap((kind) => TURN_OUTCOMES.map((outcome) => ({ count: this.turns.labels(channel, kind, outcome), seconds: this.turnSeconds.labels(channel, kind, outcome) })));
      this.turnSeries.set(channel, series);
    }
    return series;
  }
}
