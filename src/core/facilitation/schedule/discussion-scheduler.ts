import { directionOf, type Localizer } from '../../../i18n/i18n';
import type { Logger } from '../../../logging/logger';
import type { ChannelPostPort } from '../../../ports/channel-posts';
import type { JobPort, JobRecord } from '../../../ports/jobs';
import type { ProactivePort } from '../../../ports/proactive';
import type { CourseCatalog } from '../../course/content-model';
import { JobPass } from '../job-pass';
import type { DiscussionThreads } from '../threads/discussion-threads';
import { DISCUSSION_JOB, formatWhen, scheduledPromptReply, type DiscussionJobPayload } from './scheduled-prompt';

export interface DiscussionSchedulerOptions {
  jobs: JobPort;
  /** Channel id → how to post in that channel's conversations. */
  posters: Record<string, ChannelPostPort>;
  /** Reaches the facilitator privately when a prompt can never be posted. */
  proactive: ProactivePort;
  catalog: CourseCatalog;
  localizer: Localizer;
  logger: Logger;
  /** The threads the bot follows: each posted prompt's thread is recorded before its job is settled. */
  threads: DiscussionThreads;
  /** How long a claim holds; an instance that stops mid-post leaves the job due again after it. */
  leaseMs?: number;
  /** Posts tried at most this often (429/5xx) before the facilitator is told it failed. */
  maxAttempts?: number;
  /** Backoff without Retry-After: base × 2^(attempt−1), at most `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export interface SchedulePassReport {
  posted: number;
  retried: number;
  failed: number;
}

/**
 * Posts due discussion prompts. Each due job is claimed through the job port (one instance
 * holds it), posted once, and settled with the post's message id; throttled or failing posts
 * come back later with exponential backoff (Retry-After when the channel gives one), and a
 * post that can never go (the bot was removed: 403/404) is marked failed and the facilitator
 * is told in a personal message.
 */
export class DiscussionScheduler {
  private readonly loop: JobPass<DiscussionJobPayload, SchedulePassReport>;

  constructor(private readonly options: DiscussionSchedulerOptions) {
    this.loop = new JobPass({
      jobs: options.jobs,
      kinds: [DISCUSSION_JOB],
      leaseMs: options.leaseMs ?? 5 * 60_000,
      logger: options.logger,
      what: 'scheduled discussion',
      empty: () => ({ posted: 0, retried: 0, failed: 0 }),
      run: async (job, now, report) => {
        report[await this.run(job, now)]++;
      },
    });
  }

  start(intervalMs: number): void {
    this.loop.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass at `now`; overlapping calls share it. */
  tick(now?: Date): Promise<SchedulePassReport> {
    return this.loop.tick(now);
  }

  private async run(job: JobRecord<DiscussionJobPayload>, now: Date): Promise<keyof SchedulePassReport> {
    const { jobs, posters, catalog, localizer, logger } = this.options;
    const p = job.payload;
    const module = catalog.get(p.lang).modules.find((m) => m.id === p.moduleId);
    const poster = posters[p.channelId];
    if (!module || !poster) {
      await jobs.fail(job, module ? 'channel-unavailable' : 'unknown-module', now);
      await this.tellFacilitator(job, 'unavailable');
      return 'failed';
    }
    const result = await poster.post(p.conversationId, [
      scheduledPromptReply(localizer.forLanguage(p.lang), p.lang, module, new Date(job.runAt), p.timeZone, this.options.threads.optOutMarker, p.threadless === true),
    ]);
    const at = new Date();
    if (result.outcome === 'sent') {
      // The thread is followed first, then the job settled: a crash between the post and the
      // settlement leaves the job due again once its lease runs out, and it would be posted a
      // second time (the channel APIs have no idempotency key). That window is the post's own
      // round trip plus these two writes; recording the post before settling keeps its replies.
      if (result.messageId) await this.options.threads.follow({ channelId: p.channelId, conversationId: p.conversationId, rootId: result.messageId, moduleId: module.id, lang: p.lang, postedAt: at });
      await jobs.complete(job, { messageId: result.messageId ?? null, postedAt: at.toISOString() }, at);
      logger.info({ job: job.id, channel: p.channelId, attempts: job.attempts }, 'scheduled discussion posted');
      return 'posted';
    }
    if (result.outcome === 'gone') {
      await jobs.fail(job, result.reason, at);
      await this.tellFacilitator(job, 'removed');
      return 'failed';
    }
    if (job.attempts >= (this.options.maxAttempts ?? 8)) {
      await jobs.fail(job, `gave up after ${job.attempts} attempts (status ${result.status ?? 'none'})`, at);
      await this.tellFacilitator(job, 'unavailable');
      return 'failed';
    }
    const backoff = Math.min((this.options.baseDelayMs ?? 30_000) * 2 ** (job.attempts - 1), this.options.maxDelayMs ?? 30 * 60_000);
    const wait = result.retryAfterMs !== undefined ? Math.min(result.retryAfterMs, this.options.maxDelayMs ?? 30 * 60_000) : backoff;
    await jobs.retryAt(job, new Date(now.getTime() + wait), `status ${result.status ?? 'none'}`, at);
    logger.info({ job: job.id, status: result.status, wait }, 'scheduled discussion postponed');
    return 'retried';
  }

  /** A personal message to whoever scheduled the prompt: it will not be posted, and why. */
  private async tellFacilitator(job: JobRecord<DiscussionJobPayload>, why: 'removed' | 'unavailable'): Promise<void> {
    const p = job.payload;
    if (!p.facilitatorKey) return; // the facilitator asked to be forgotten
    const lang = p.facilitatorLang;
    const t = this.options.localizer.forLanguage(lang);
    const module = this.options.catalog.get(lang).modules.find((m) => m.id === p.moduleId);
    const text = t(`facilitation:schedule.failed.${why}`, { order: module?.order ?? p.moduleId, title: module?.title ?? '', when: formatWhen(new Date(job.runAt), lang, p.timeZone), id: job.id });
    const outcome = await this.options.proactive.sendToLearner(p.facilitatorKey, [
      { intent: 'notice', lang, dir: directionOf(lang), title: t('facilitation:schedule.failed.title'), text, summary: t('facilitation:schedule.failed.title') },
    ]);
    if (outcome !== 'sent') this.options.logger.warn({ job: job.id, outcome }, 'could not tell the facilitator that a scheduled discussion failed');
  }
}
