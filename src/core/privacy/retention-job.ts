import { randomUUID } from 'node:crypto';
import type { Logger } from '../../logging/logger';
import { CREATE_ONLY, StorageConflictError, type StoragePort } from '../../ports/storage';
import type { LearnerRecord } from '../learner';
import { SYSTEM_ACTOR, type AuditLog } from './audit-log';
import type { DownloadLinks } from './download-links';
import { listAll, subjectOf, type PersonalDataRegistry } from './personal-data';

/** Retention periods in days (config: RETENTION_*_DAYS); documented in docs/privacy.md. */
export interface RetentionPeriods {
  questionHistoryDays: number;
  discussionRepliesDays: number;
  inactiveLearnerDays: number;
  auditLogDays: number;
}

/** One purge under one period; features with their own stores (discussions, Q&A logs) register theirs. */
export interface RetentionTask {
  name: string;
  period: keyof RetentionPeriods;
  /** Deletes or anonymises what is older than `cutoff`; returns how many documents changed. */
  purge(cutoff: Date, now: Date): Promise<number>;
}

export type RetentionRun = { outcome: 'ran'; purged: Record<string, number> } | { outcome: 'not-due' | 'claimed-elsewhere' };

interface LeaseDocument {
  holder: string;
  /** A holder that crashed mid-run loses the lease after this instant. */
  leaseUntil: string;
  lastRunAt?: string;
}

export const RETENTION_LEASE_KEY = 'lease:retention-purge';
const LEASE_MS = 30 * 60 * 1000;
const DAY_MS = 86_400_000;
/** How often each instance checks whether a purge is due (the lease makes only one run it). */
const TICK_MS = 15 * 60 * 1000;

export interface RetentionJobOptions {
  storage: StoragePort;
  periods: RetentionPeriods;
  registry: PersonalDataRegistry;
  audit: AuditLog;
  links: DownloadLinks;
  /** Time between purges across all instances. */
  intervalMs: number;
  logger: Logger;
}

/**
 * The automatic retention purge. Every instance ticks; the one that claims the lease document
 * (a conditional write with its eTag) runs the purge, so it runs once across instances.
 */
export class RetentionJob {
  private readonly tasks: RetentionTask[] = [];
  private readonly instanceId = randomUUID();
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(private readonly options: RetentionJobOptions) {
    const { storage, audit } = options;
    this.register({ name: 'inactiveLearners', period: 'inactiveLearnerDays', purge: (cutoff) => this.eraseInactiveLearners(cutoff) });
    this.register({ name: 'questionHistory', period: 'questionHistoryDays', purge: (cutoff) => forgetOldQuestions(storage, cutoff) });
    this.register({ name: 'auditLog', period: 'auditLogDays', purge: (cutoff) => audit.purgeBefore(cutoff) });
  }

  register(task: RetentionTask): this {
    this.tasks.push(task);
    return this;
  }

  start(): void {
    if (this.timer || this.options.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.tick(), Math.min(TICK_MS, this.options.intervalMs));
    this.timer.unref();
    void this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Claims the lease and purges when the last purge (on any instance) is older than the interval. */
  async runIfDue(now = new Date()): Promise<RetentionRun> {
    const { storage, intervalMs } = this.options;
    const lease = await storage.read<LeaseDocument>(RETENTION_LEASE_KEY);
    if (lease?.value.lastRunAt && now.getTime() - Date.parse(lease.value.lastRunAt) < intervalMs) return { outcome: 'not-due' };
    // A live lease is respected even when this instance holds it (a purge already running here).
    if (lease && Date.parse(lease.value.leaseUntil) > now.getTime()) return { outcome: 'claimed-elsewhere' };
    let etag: string;
    try {
      const claim: LeaseDocument = { holder: this.instanceId, leaseUntil: new Date(now.getTime() + LEASE_MS).toISOString(), ...(lease?.value.lastRunAt ? { lastRunAt: lease.value.lastRunAt } : {}) };
      etag = await storage.write(RETENTION_LEASE_KEY, claim, { ifMatch: lease?.etag ?? CREATE_ONLY });
    } catch (err) {
      if (err instanceof StorageConflictError) return { outcome: 'claimed-elsewhere' };
      throw err;
    }
    const purged = await this.purge(now);
    try {
      await storage.write(RETENTION_LEASE_KEY, { holder: this.instanceId, leaseUntil: now.toISOString(), lastRunAt: now.toISOString() } satisfies LeaseDocument, { ifMatch: etag });
    } catch (err) {
      // The purge outlived its lease and another instance took over: its run records the time.
      if (!(err instanceof StorageConflictError)) throw err;
      this.options.logger.warn('retention purge outlived its lease');
    }
    return { outcome: 'ran', purged };
  }

  private async purge(now: Date): Promise<Record<string, number>> {
    const purged: Record<string, number> = {};
    for (const task of this.tasks) {
      const days = this.options.periods[task.period];
      purged[task.name] = await task.purge(new Date(now.getTime() - days * DAY_MS), now);
    }
    purged.expiredDownloadLinks = await this.options.links.purgeExpired(now);
    await this.options.audit.record({ actor: SYSTEM_ACTOR, action: 'retention.purge', detail: purged, at: now });
    this.options.logger.info({ purged }, 'retention purge done');
    return purged;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.runIfDue()
      .catch((err) => this.options.logger.error({ err }, 'retention purge failed'))
      .finally(() => (this.running = undefined));
    await this.running;
  }

  /** Learners with no activity since `cutoff` are erased everywhere, as if they had asked. */
  private async eraseInactiveLearners(cutoff: Date): Promise<number> {
    let erased = 0;
    for (const key of await listAll(this.options.storage, 'learner:')) {
      const learner = (await this.options.storage.read<LearnerRecord>(key))?.value;
      if (!learner || Date.parse(learner.updatedAt) >= cutoff.getTime()) continue;
      await this.options.registry.eraseAll(subjectOf(learner));
      erased++;
    }
    return erased;
  }
}

/**
 * The Q&A slice keeps a learner's last few questions (redacted) for follow-ups. Its entries
 * carry no dates, so the learner's last activity dates them: history of learners quiet since
 * `cutoff` is dropped. A concurrent turn wins (eTag) and the next purge retries.
 */
async function forgetOldQuestions(storage: StoragePort, cutoff: Date): Promise<number> {
  let changed = 0;
  for (const key of await listAll(storage, 'learner:')) {
    const doc = await storage.read<LearnerRecord>(key);
    const qa = doc?.value.data.qa as { history?: unknown[] } | undefined;
    if (!doc || !qa?.history?.length || Date.parse(doc.value.updatedAt) >= cutoff.getTime()) continue;
    try {
      await storage.write(key, { ...doc.value, data: { ...doc.value.data, qa: { ...qa, history: [] } } }, { ifMatch: doc.etag });
      changed++;
    } catch (err) {
      if (!(err instanceof StorageConflictError)) throw err;
    }
  }
  return changed;
}
