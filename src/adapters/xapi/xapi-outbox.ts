import type { Statement } from '@xapi/xapi';
import type { Logger } from '../../logging/logger';
import { CREATE_ONLY, StorageConflictError, type StoragePort } from '../../ports/storage';
import { PeriodicPass } from '../../core/periodic-pass';
import type { LrsClient } from './lrs-client';

/** A statement waiting for the LRS, under `xapi-outbox:<statement id>`. */
export interface OutboxEntry {
  statement: Statement;
  attempts: number;
  nextAttemptAt: string;
  /** While one instance sends it. */
  claimedUntil?: string;
  /** Set when the LRS refused it for good (4xx): kept for an operator, never retried. */
  rejectedStatus?: number;
}

const PREFIX = 'xapi-outbox:';
const PAGE = 500;

/**
 * A durable outbox for xAPI statements in the storage port: statements are queued with the
 * learner's progress, and sent by a background pass that claims each one with an etag write
 * (one instance sends it), deletes it once the LRS has it, and backs off exponentially while
 * the LRS is down. Statement ids are stable, so a send repeated after a crash is a no-op at the LRS.
 */
export class XapiOutbox {
  private readonly loop: PeriodicPass<void>;

  constructor(
    private readonly storage: StoragePort,
    private readonly lrs: LrsClient,
    private readonly logger: Logger,
    private readonly options: { baseDelayMs?: number; maxDelayMs?: number; claimMs?: number } = {},
  ) {
    this.loop = new PeriodicPass((now) => this.pass(now), { onError: (err) => this.logger.error({ err }, 'xAPI outbox pass failed') });
  }

  /** Queues statements; a statement already queued (same id) is not queued twice. */
  async enqueue(statements: Statement[], now: Date): Promise<void> {
    for (const statement of statements) {
      try {
        await this.storage.write(`${PREFIX}${statement.id}`, { statement, attempts: 0, nextAttemptAt: now.toISOString() } satisfies OutboxEntry, { ifMatch: CREATE_ONLY });
      } catch (err) {
        if (!(err instanceof StorageConflictError)) throw err;
      }
    }
  }

  start(intervalMs: number): void {
    this.loop.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass over the outbox; overlapping calls share it. */
  tick(now?: Date): Promise<void> {
    return this.loop.tick(now);
  }

  private async pass(now: Date): Promise<void> {
    let startAfter: string | undefined;
    for (;;) {
      const keys = await this.storage.list(PREFIX, { limit: PAGE, startAfter });
      for (const key of keys) {
        // While the LRS is down, stop this pass at the first failure instead of hammering it.
        if ((await this.handle(key, now)) === 'retry') return;
      }
      if (keys.length < PAGE) return;
      startAfter = keys[keys.length - 1];
    }
  }

  private async handle(key: string, now: Date): Promise<'done' | 'retry' | 'skipped'> {
    const stored = await this.storage.read<OutboxEntry>(key);
    if (!stored || stored.value.rejectedStatus) return 'skipped';
    const entry = stored.value;
    if (Date.parse(entry.nextAttemptAt) > now.getTime() || Date.parse(entry.claimedUntil ?? '') > now.getTime()) return 'skipped';
    const claim: OutboxEntry = { ...entry, attempts: entry.attempts + 1, claimedUntil: new Date(now.getTime() + (this.options.claimMs ?? 60_000)).toISOString() };
    let etag: string;
    try {
      etag = await this.storage.write(key, claim, { ifMatch: stored.etag });
    } catch (err) {
      if (err instanceof StorageConflictError) return 'skipped'; // another instance is sending it
      throw err;
    }
    const result = await this.lrs.send(entry.statement);
    try {
      if (result.outcome === 'stored') {
        await this.storage.delete(key, { ifMatch: etag });
        return 'done';
      }
      if (result.outcome === 'rejected') {
        this.logger.error({ status: result.status, statementId: entry.statement.id }, 'the LRS rejected an xAPI statement; kept in the outbox, not retried');
        await this.storage.write(key, { ...claim, claimedUntil: undefined, rejectedStatus: result.status }, { ifMatch: etag });
        return 'skipped';
      }
      const delay = Math.min((this.options.baseDelayMs ?? 5_000) * 2 ** (claim.attempts - 1), this.options.maxDelayMs ?? 15 * 60_000);
      await this.storage.write(key, { ...claim, claimedUntil: undefined, nextAttemptAt: new Date(now.getTime() + delay).toISOString() }, { ifMatch: etag });
      this.logger.warn({ status: result.status, attempts: claim.attempts, delay }, 'LRS unavailable: xAPI statements wait in the outbox');
      return 'retry';
    } catch (err) {
      if (err instanceof StorageConflictError) return 'skipped';
      throw err;
    }
  }
}
