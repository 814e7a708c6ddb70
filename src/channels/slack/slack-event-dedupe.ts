import type { Logger } from '../../logging/logger';
import { CREATE_ONLY, StorageConflictError, type StoragePort } from '../../ports/storage';

const PREFIX = 'slack-event:';
/** Slack retries an event three times within about an hour; two days of ids is ample. */
const KEEP_DAYS = 2;
const PRUNE_EVERY_MS = 60 * 60 * 1000;
/**
 * How long an instance may work on an event before another may take it over. Longer than a
 * turn (LLM_TIMEOUT_MS is 20 s by default), shorter than Slack's second retry (after a minute).
 */
export const DEFAULT_LEASE_MS = 45_000;

interface EventRecord {
  state: 'in-progress' | 'done';
  receivedAt: string;
  /** While in progress: after this another instance may take the event over (the first one died). */
  leaseUntil?: string;
  doneAt?: string;
}

/** What to do with a delivery of an event: answer it (then report how it went), or not. */
export type EventClaim =
  | { outcome: 'process'; complete(): Promise<void>; abandon(): Promise<void> }
  /** Answered before: acknowledge, do nothing. */
  | { outcome: 'done' }
  /** Another instance is answering it right now: ask Slack to retry later, in case that instance dies. */
  | { outcome: 'in-progress' };

/**
 * At-least-once handling of Events API events across instances, with no double answers.
 * The first delivery takes a lease (a CREATE_ONLY write); the event is marked done only after
 * its reply was sent. A retry of a done event is ignored; a retry while the lease holds is
 * refused so Slack tries again later; a retry after the lease ran out (the instance crashed
 * mid-answer) takes the event over with a conditional write, so exactly one instance answers.
 * Keys carry the day of the event's own `event_time` (identical in every retry), which lets
 * old ids be pruned cheaply.
 */
export class SlackEventDedupe {
  private lastPrune = 0;

  constructor(
    private readonly storage: StoragePort,
    private readonly logger: Logger,
    private readonly leaseMs = DEFAULT_LEASE_MS,
  ) {}

  async claim(eventId: string, eventTimeSeconds: number | undefined, now = new Date()): Promise<EventClaim> {
    const key = `${PREFIX}${dayOf(eventTimeSeconds ? new Date(eventTimeSeconds * 1000) : now)}:${eventId}`;
    const lease: EventRecord = { state: 'in-progress', receivedAt: now.toISOString(), leaseUntil: new Date(now.getTime() + this.leaseMs).toISOString() };
    try {
      // Two attempts: the record may be deleted (abandoned) between our create and our read.
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          const etag = await this.storage.write(key, lease, { ifMatch: CREATE_ONLY });
          this.pruneNowAndThen(now);
          return this.processing(key, etag, eventId, lease.receivedAt);
        } catch (err) {
          if (!(err instanceof StorageConflictError)) throw err;
        }
        const existing = await this.storage.read<EventRecord>(key);
        if (!existing) continue;
        if (existing.value.state === 'done') return { outcome: 'done' };
        if (existing.value.leaseUntil && Date.parse(existing.value.leaseUntil) > now.getTime()) return { outcome: 'in-progress' };
        try {
          const etag = await this.storage.write(key, { ...lease, receivedAt: existing.value.receivedAt }, { ifMatch: existing.etag });
          this.logger.info({ eventId }, 'taking over a Slack event whose previous attempt did not finish');
          return this.processing(key, etag, eventId, existing.value.receivedAt);
        } catch (err) {
          if (err instanceof StorageConflictError) return { outcome: 'in-progress' };
          throw err;
        }
      }
      return { outcome: 'in-progress' };
    } catch (err) {
      // Without the record we still answer: the coach's own activity-id check remains.
      this.logger.warn({ err, eventId }, 'could not record Slack event id');
      return { outcome: 'process', complete: async () => undefined, abandon: async () => undefined };
    }
  }

  private processing(key: string, etag: string, eventId: string, receivedAt: string): EventClaim {
    return {
      outcome: 'process',
      complete: async () => {
        const done: EventRecord = { state: 'done', receivedAt, doneAt: new Date().toISOString() };
        // Conditional on our own lease: if another instance took the event over, its outcome stands.
        await this.storage.write(key, done, { ifMatch: etag }).catch((err) => {
          if (!(err instanceof StorageConflictError)) this.logger.warn({ err, eventId }, 'could not mark Slack event done');
        });
      },
      abandon: async () => {
        // Let Slack's next retry answer at once rather than after the lease.
        await this.storage.delete(key, { ifMatch: etag }).catch((err) => {
          if (!(err instanceof StorageConflictError)) this.logger.warn({ err, eventId }, 'could not release Slack event lease');
        });
      },
    };
  }

  private pruneNowAndThen(now: Date): void {
    if (now.getTime() - this.lastPrune <= PRUNE_EVERY_MS) return;
    this.lastPrune = now.getTime();
    this.prune(now).catch((err) => this.logger.warn({ err }, 'could not prune old Slack event ids'));
  }

  /** Deletes ids of events older than KEEP_DAYS (keys sort by day, oldest first). */
  async prune(now = new Date()): Promise<number> {
    const cutoff = `${PREFIX}${dayOf(new Date(now.getTime() - KEEP_DAYS * 86_400_000))}`;
    let deleted = 0;
    for (;;) {
      const keys = (await this.storage.list(PREFIX, { limit: 500 })).filter((k) => k < cutoff);
      if (!keys.length) return deleted;
      for (const key of keys) if (await this.storage.delete(key)) deleted++;
    }
  }
}

function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}
