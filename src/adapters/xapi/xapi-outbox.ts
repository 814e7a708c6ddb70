import type { Statement } from '@xapi/xapi';
import type { Logger } from '../../logging/logger';
import { CREATE_ONLY, StorageConflictError, type StoragePort } from '../../ports/storage';
import { PeriodicWorker } from '../../core/periodic-pass';
import type { LearnerRecord } from '../../core/learner';
import { listAll } from '../../core/privacy/personal-data';
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
/** `xapi-pending:<learner key>`: that learner's record may hold statements not yet in the outbox. */
const PENDING_PREFIX = 'xapi-pending:';
/** Where a learner record keeps the statements its last saves implied, until they are in the outbox. */
export const PENDING_STATEMENTS = 'xapiPending';
const PAGE = 500;
/** A flush that keeps conflicting with the learner's own turns leaves the rest to the next pass. */
const FLUSH_ATTEMPTS = 3;

interface PendingMarker {
  learnerKey: string;
  at: string;
}

/**
 * A durable outbox for xAPI statements in the storage port. Statements are captured in the
 * same conditional write as the progress they describe (in the learner record, with a marker
 * written just before), so a crash after the save loses none; they are then moved to the
 * outbox idempotently (create-only under their stable ids) and sent by a background pass that
 * claims each one with an etag write (one instance sends it), deletes it once the LRS has it,
 * and backs off exponentially while the LRS is down.
 */
export class XapiOutbox extends PeriodicWorker {
  constructor(
    private readonly storage: StoragePort,
    private readonly lrs: LrsClient,
    private readonly logger: Logger,
    private readonly options: { baseDelayMs?: number; maxDelayMs?: number; claimMs?: number } = {},
  ) {
    super((err) => logger.error({ err }, 'xAPI outbox pass failed'));
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

  /**
   * Before a learner record is saved: adds the statements to the record itself, so they are
   * written (or not) together with the progress, and marks the learner for the outbox pass.
   * The marker is written first: a record holding statements always has one.
   */
  async capture(learner: LearnerRecord, statements: Statement[], now: Date): Promise<void> {
    if (!statements.length) return;
    const pending = pendingOf(learner);
    const known = new Set(pending.map((s) => s.id));
    learner.data[PENDING_STATEMENTS] = [...pending, ...statements.filter((s) => !known.has(s.id))];
    await this.storage.write(`${PENDING_PREFIX}${learner.key}`, { learnerKey: learner.key, at: now.toISOString() } satisfies PendingMarker);
  }

  /**
   * Moves a learner's captured statements to the outbox and clears them from the record. The
   * record is rewritten conditionally and the marker deleted only if unchanged since it was
   * read, so statements a concurrent turn captures meanwhile keep their marker.
   */
  async flush(learnerKey: string, now: Date): Promise<void> {
    for (let attempt = 1; attempt <= FLUSH_ATTEMPTS; attempt++) {
      const marker = await this.storage.read<PendingMarker>(`${PENDING_PREFIX}${learnerKey}`);
      if (!marker) return;
      const stored = await this.storage.read<LearnerRecord>(learnerKey);
      try {
        if (stored) {
          await this.enqueue(pendingOf(stored.value), now);
          const { [PENDING_STATEMENTS]: _moved, ...data } = stored.value.data;
          await this.storage.write(learnerKey, { ...stored.value, data }, { ifMatch: stored.etag });
        }
        await this.storage.delete(`${PENDING_PREFIX}${learnerKey}`, { ifMatch: marker.etag });
        return;
      } catch (err) {
        if (!(err instanceof StorageConflictError)) throw err;
      }
    }
  }

  protected async pass(now: Date): Promise<void> {
    // Statements a stopped instance captured but never moved (it crashed after the save) first.
    for (const key of await listAll(this.storage, PENDING_PREFIX)) await this.flush(key.slice(PENDING_PREFIX.length), now);
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

function pendingOf(learner: LearnerRecord): Statement[] {
  const pending = learner.data[PENDING_STATEMENTS];
  return Array.isArray(pending) ? (pending as Statement[]) : [];
}
