import type { Language } from '../../config/config-schema';
import type { Localizer } from '../../i18n/i18n';
import type { Logger } from '../../logging/logger';
import type { CohortChannelPort, PersonalDelivery } from '../../ports/cohort-channels';
import { CREATE_ONLY, StorageConflictError, type StoragePort } from '../../ports/storage';
import type { CourseCatalog } from '../course/content-model';
import { learnerKey, type LearnerRecord } from '../learner';
import { COHORT_PREFIX, WELCOME_PREFIX, cohortKey, welcomeKey, type Cohort, type WelcomeDocument } from './cohort-model';
import { PeriodicWorker } from '../periodic-pass';
import { localDate } from './cohort-plan';
import { deliveryReport, welcomeReply, type DeliveryTally } from './cohort-replies';
import type { PacingNudges } from './pacing-nudges';

export interface WelcomeDispatcherOptions {
  storage: StoragePort;
  channels: Record<string, CohortChannelPort>;
  localizer: Localizer;
  catalog: CourseCatalog;
  logger: Logger;
  /** Pacing nudges run in the same pass, after the welcomes. */
  nudges?: PacingNudges;
  /** A claim older than this means the instance that made it stopped mid-send. */
  claimMs?: number;
  /** Failed (not throttled) sends are retried this many times, with doubling delays from `retryBaseMs`. */
  maxAttempts?: number;
  retryBaseMs?: number;
}

const PAGE = 500;
const FINAL = new Set(['sent', 'unreachable']);

/**
 * Sends each cohort member's welcome exactly once, across instances and restarts: every
 * welcome is its own document, claimed with a conditional (etag) write before it is sent and
 * marked with the outcome after. A claim left by a stopped instance is never re-sent (the
 * member may have it already); it is reported to the facilitator as interrupted instead.
 * Throttling (Retry-After) pauses that channel and the welcome waits its turn.
 */
export class WelcomeDispatcher extends PeriodicWorker {
  constructor(private readonly options: WelcomeDispatcherOptions) {
    // A call during a pass runs one more pass after it, so new work is never missed.
    super((err) => options.logger.error({ err }, 'cohort welcome pass failed'), { queueWhileRunning: true });
  }

  /** Queues a welcome for one member (create-only: a member who leaves and rejoins is not welcomed twice). */
  async queue(cohortId: string, userId: string, now: Date): Promise<void> {
    const doc: WelcomeDocument = { cohortId, userId, state: 'pending', attempts: 0, nextAttemptAt: now.toISOString(), updatedAt: now.toISOString() };
    try {
      await this.options.storage.write(welcomeKey(cohortId, userId), doc, { ifMatch: CREATE_ONLY });
    } catch (err) {
      if (!(err instanceof StorageConflictError)) throw err;
    }
  }

  protected async pass(now: Date): Promise<void> {
    const cohorts = await this.cohorts();
    const byId = new Map(cohorts.map((c) => [c.id, c]));
    for (const cohort of cohorts) await this.queueStart(cohort, now);
    const paused = new Set<string>();
    for (const key of await this.keys(WELCOME_PREFIX)) {
      try {
        await this.handle(key, byId, paused, now);
      } catch (err) {
        this.options.logger.error({ err, key }, 'cohort welcome failed');
      }
    }
    for (const cohort of cohorts) {
      try {
        await this.reportIfDone(cohort, now);
      } catch (err) {
        this.options.logger.error({ err, cohort: cohort.id }, 'cohort delivery report failed');
      }
      await this.options.nudges?.pass(cohort, now);
    }
  }

  /** On the start date, every member's welcome is queued, then the cohort is marked (so a crash in between only re-queues). */
  private async queueStart(cohort: Cohort, now: Date): Promise<void> {
    if (cohort.welcomesQueuedAt || cohort.startDate > localDate(now, cohort.timeZone)) return;
    for (const userId of Object.keys(cohort.members)) await this.queue(cohort.id, userId, now);
    const stored = await this.options.storage.read<Cohort>(cohortKey(cohort.id));
    if (!stored || stored.value.welcomesQueuedAt) return;
    try {
      await this.options.storage.write(cohortKey(cohort.id), { ...stored.value, welcomesQueuedAt: now.toISOString() }, { ifMatch: stored.etag });
      cohort.welcomesQueuedAt = now.toISOString();
    } catch (err) {
      if (!(err instanceof StorageConflictError)) throw err;
    }
  }

  private async handle(key: string, cohorts: Map<string, Cohort>, paused: Set<string>, now: Date): Promise<void> {
    const { storage, logger } = this.options;
    const stored = await storage.read<WelcomeDocument>(key);
    if (!stored || FINAL.has(stored.value.state)) return;
    const doc = stored.value;
    const cohort = cohorts.get(doc.cohortId);
    if (!cohort || paused.has(cohort.channelId)) return;
    if (doc.state === 'sending') {
      if (Date.parse(doc.claimedUntil ?? '') > now.getTime()) return;
      await this.settle(key, stored.etag, { ...doc, state: 'unreachable', reason: 'interrupted', updatedAt: now.toISOString() });
      return;
    }
    if (Date.parse(doc.nextAttemptAt) > now.getTime()) return;
    const member = cohort.members[doc.userId];
    const channel = this.options.channels[cohort.channelId];
    if (!member || !channel) {
      await this.settle(key, stored.etag, { ...doc, state: 'unreachable', reason: member ? 'failed' : 'left', updatedAt: now.toISOString() });
      return;
    }
    const claim: WelcomeDocument = {
      ...doc,
      state: 'sending',
      attempts: doc.attempts + 1,
      claimedUntil: new Date(now.getTime() + (this.options.claimMs ?? 5 * 60_000)).toISOString(),
      updatedAt: now.toISOString(),
    };
    let etag: string;
    try {
      etag = await storage.write(key, claim, { ifMatch: stored.etag });
    } catch (err) {
      if (err instanceof StorageConflictError) return; // another instance has it
      throw err;
    }
    const lang = await this.languageOf(cohort, doc.userId);
    const t = this.options.localizer.forLanguage(lang);
    const course = this.options.catalog.get(lang);
    const facilitator = cohort.facilitators.map((id) => cohort.members[id]?.name ?? this.facilitatorName(cohort, id)).find(Boolean);
    const result = await channel.sendPersonal(member, [welcomeReply(cohort, course, t, lang, facilitator)]);
    const at = new Date().toISOString();
    if (result.outcome === 'sent') return this.settle(key, etag, { ...claim, state: 'sent', claimedUntil: undefined, updatedAt: at });
    if (isUnreachable(result.outcome)) return this.settle(key, etag, { ...claim, state: 'unreachable', reason: result.outcome, claimedUntil: undefined, updatedAt: at });
    const maxAttempts = this.options.maxAttempts ?? 5;
    if (result.outcome === 'failed' && claim.attempts >= maxAttempts) {
      return this.settle(key, etag, { ...claim, state: 'unreachable', reason: 'failed', claimedUntil: undefined, updatedAt: at });
    }
    const wait = result.outcome === 'throttled' ? (result.retryAfterMs ?? 30_000) : (this.options.retryBaseMs ?? 30_000) * 2 ** (claim.attempts - 1);
    if (result.outcome === 'throttled') paused.add(cohort.channelId);
    logger.info({ cohort: cohort.id, outcome: result.outcome, wait }, 'cohort welcome postponed');
    // A throttled send is not the member's fault: it does not count as an attempt.
    const attempts = result.outcome === 'throttled' ? doc.attempts : claim.attempts;
    await this.settle(key, etag, { ...claim, state: 'pending', attempts, claimedUntil: undefined, nextAttemptAt: new Date(now.getTime() + wait).toISOString(), updatedAt: at });
  }

  private async settle(key: string, etag: string, doc: WelcomeDocument): Promise<void> {
    try {
      await this.options.storage.write(key, doc, { ifMatch: etag });
    } catch (err) {
      if (!(err instanceof StorageConflictError)) throw err;
    }
  }

  /** Once every welcome of the start is settled, the facilitators get one delivery report. */
  private async reportIfDone(cohort: Cohort, now: Date): Promise<void> {
    const { storage } = this.options;
    if (!cohort.welcomesQueuedAt || cohort.deliveryReportSentAt) return;
    const tally: DeliveryTally = { reached: 0, unreachable: [] };
    for (const key of await this.keys(welcomeKey(cohort.id, ''))) {
      const doc = (await storage.read<WelcomeDocument>(key))?.value;
      if (!doc) continue;
      if (!FINAL.has(doc.state)) return;
      if (doc.state === 'sent') tally.reached++;
      else tally.unreachable.push({ name: cohort.members[doc.userId]?.name ?? doc.userId, reason: doc.reason ?? 'failed' });
    }
    const stored = await storage.read<Cohort>(cohortKey(cohort.id));
    if (!stored || stored.value.deliveryReportSentAt) return;
    try {
      await storage.write(cohortKey(cohort.id), { ...stored.value, deliveryReportSentAt: now.toISOString() }, { ifMatch: stored.etag });
    } catch (err) {
      if (err instanceof StorageConflictError) return; // changed or claimed elsewhere: the next pass decides
      throw err;
    }
    const channel = this.options.channels[cohort.channelId];
    for (const id of cohort.facilitators) {
      const address = cohort.facilitatorAddresses[id];
      if (!channel || !address) continue;
      const lang = await this.languageOf(cohort, id);
      const outcome = await channel.sendPersonal({ userId: id, address }, [deliveryReport(cohort, tally, this.options.localizer.forLanguage(lang), lang)]);
      if (outcome.outcome !== 'sent') this.options.logger.warn({ cohort: cohort.id, outcome: outcome.outcome }, 'delivery report not delivered to a facilitator');
    }
  }

  private facilitatorName(cohort: Cohort, userId: string): string | undefined {
    return cohort.facilitatorNames[userId];
  }

  private async languageOf(cohort: Cohort, userId: string): Promise<Language> {
    const learner = (await this.options.storage.read<LearnerRecord>(learnerKey(cohort.channelId, userId)))?.value;
    return learner?.language ?? cohort.language;
  }

  private async cohorts(): Promise<Cohort[]> {
    const out: Cohort[] = [];
    for (const key of await this.keys(COHORT_PREFIX)) {
      const cohort = (await this.options.storage.read<Cohort>(key))?.value;
      if (cohort) out.push(cohort);
    }
    return out;
  }

  private async keys(prefix: string): Promise<string[]> {
    const all: string[] = [];
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.options.storage.list(prefix, { limit: PAGE, startAfter });
      all.push(...page);
      if (page.length < PAGE) return all;
      startAfter = page[page.length - 1];
    }
  }
}

function isUnreachable(outcome: PersonalDelivery): outcome is 'not-installed' | 'blocked' | 'left' {
  return outcome === 'not-installed' || outcome === 'blocked' || outcome === 'left';
}
