import type { Reply } from '../intents/reply';

/**
 * Sends replies to a learner outside a turn (reminders, facilitator schedules). The core
 * uses this port; each channel implements it with its own stored conversation addresses.
 */
export type ProactiveOutcome =
  /** Delivered. */
  | 'sent'
  /** No stored conversation for this learner (never chatted one-to-one with the bot). */
  | 'no-conversation'
  /** The conversation is gone (bot uninstalled or blocked); nothing is sent until the learner returns. */
  | 'inactive'
  /** Still rate-limited after the bounded retries; try again later. */
  | 'throttled'
  | 'failed';

export interface ProactivePort {
  sendToLearner(learnerKey: string, replies: Reply[]): Promise<ProactiveOutcome>;
}
