import type { Language } from '../../../config/config-schema';
import type { Localizer } from '../../../i18n/i18n';
import type { Logger } from '../../../logging/logger';
import type { ChannelPostPort } from '../../../ports/channel-posts';
import type { JobPort, JobRecord } from '../../../ports/jobs';
import type { StoragePort } from '../../../ports/storage';
import type { CourseCatalog } from '../../course/content-model';
import { JobPass } from '../job-pass';
import { pollCard } from './poll-replies';
import { pollCardKey, PollStore } from './poll-store';

export const POLL_CLOSE_JOB = 'poll-close';

/** What a poll's closing job carries: where its card is, and in which language it was drawn. */
export interface PollCloseJobPayload extends Record<string, unknown> {
  channelId: string;
  /** The conversation the card was posted in (Teams: with ";messageid=", as the card is remembered). */
  conversationId: string;
  pollId: string;
  lang: Language;
}

/** Poll closing jobs are not discussion prompts: `schedule` does not list them. */
export function pollCloseGroup(channelId: string, conversationId: string): string {
  return `poll:${channelId}:${conversationId}`;
}

const LEASE_MS = 60_000;
const RETRY_MS = 60_000;
const MAX_ATTEMPTS = 5;

export interface PollCloserOptions {
  jobs: JobPort;
  storage: StoragePort;
  posters: Record<string, ChannelPostPort>;
  catalog: CourseCatalog;
  localizer: Localizer;
  logger: Logger;
}

/** A pass's tally: polls closed. */
export interface PollClosingReport {
  closed: number;
}

export type PollCloser = JobPass<PollCloseJobPayload, PollClosingReport>;

/**
 * Closes polls at their closing time through the job port (one instance per poll) and redraws
 * their card with the final result, so the card does not keep its vote buttons until someone
 * presses one. A card the channel can no longer reach is given up; the poll is closed anyway.
 */
export function pollCloser(options: PollCloserOptions): PollCloser {
  const store = new PollStore(options.storage);
  const run = async (job: JobRecord<PollCloseJobPayload>, now: Date, report: PollClosingReport): Promise<void> => {
    const { jobs, posters, catalog, localizer } = options;
    const p = job.payload;
    const poll = await store.close(p.channelId, p.conversationId, p.pollId, now);
    if (!poll) return void (await jobs.complete(job, { outcome: 'no-poll' }, now));
    report.closed++;
    const module = poll.moduleId ? catalog.get(p.lang).modules.find((m) => m.id === poll.moduleId) : undefined;
    const card = pollCard({ t: localizer.forLanguage(p.lang), lang: p.lang, now }, poll, module);
    const result = (await posters[p.channelId]?.updateCard?.(p.conversationId, pollCardKey(poll.id), [card])) ?? { outcome: 'gone' as const, reason: 'channel-unavailable' };
    // The poll is closed whatever happens to its card: a throttled card is redrawn a few times, then left.
    if (result.outcome === 'retry' && job.attempts < MAX_ATTEMPTS) await jobs.retryAt(job, new Date(now.getTime() + (result.retryAfterMs ?? RETRY_MS)), `status ${result.status ?? 'none'}`, now);
    else await jobs.complete(job, { outcome: result.outcome, ...(result.outcome === 'gone' ? { reason: result.reason } : {}) }, now);
  };
  return new JobPass({ jobs: options.jobs, kinds: [POLL_CLOSE_JOB], leaseMs: LEASE_MS, logger: options.logger, what: 'closing a poll', empty: () => ({ closed: 0 }), run });
}
