/**
 * Operational metrics the core and the adapters report. The core calls this port only; the
 * Prometheus implementation lives in src/adapters/metrics. Every label value is drawn from a
 * small fixed set (channel ids outside the known ones are reported as "other"), so a scrape
 * stays small and a turn costs a few array lookups.
 */
export type TurnKind = 'message' | 'action' | 'event';
export type TurnOutcome = 'ok' | 'duplicate' | 'error';
/** answered: with citations; declined: the course does not cover it; escalated: handed to a person. */
export type QaOutcome = 'answered' | 'declined' | 'escalated';
export type LlmOperation = 'condense' | 'answer' | 'feedback' | 'summary';
/** 'ok' or an LlmError code. */
export type LlmOutcome = 'ok' | 'timeout' | 'rate-limited' | 'server-error' | 'bad-response' | 'unavailable';
/** The ProactivePort outcomes. */
export type ProactiveSendOutcome = 'sent' | 'no-conversation' | 'inactive' | 'throttled' | 'failed';
export type JobQueue = 'reminders';

export interface MetricsPort {
  /** One handled turn of a channel, with its time from arrival to replies. */
  turn(channelId: string, kind: TurnKind, outcome: TurnOutcome, seconds: number): void;
  qa(outcome: QaOutcome): void;
  llmCall(operation: LlmOperation, outcome: LlmOutcome, seconds: number): void;
  llmTokens(promptTokens: number, completionTokens: number): void;
  proactiveSend(channelId: string, outcome: ProactiveSendOutcome): void;
  /** A storage call that failed for another reason than an optimistic-concurrency conflict. */
  storageError(operation: string): void;
  /** A turn refused by a rate limit. */
  rateLimited(channelId: string): void;
  /** Jobs found due by the last pass of a queue, and how late the one being started is. */
  jobsDue(queue: JobQueue, count: number): void;
  jobLag(queue: JobQueue, seconds: number): void;
}

/** For code run without an app (CLIs, unit tests): records nothing. */
export const NO_METRICS: MetricsPort = {
  turn: () => undefined,
  qa: () => undefined,
  llmCall: () => undefined,
  llmTokens: () => undefined,
  proactiveSend: () => undefined,
  storageError: () => undefined,
  rateLimited: () => undefined,
  jobsDue: () => undefined,
  jobLag: () => undefined,
};
