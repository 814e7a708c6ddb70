import type { Logger } from '../../logging/logger';
import { CREATE_ONLY, StorageConflictError, type StoragePort } from '../../ports/storage';

const PREFIX = 'slack-event:';
/** Slack retries an event three times within about an hour; two days of ids is ample. */
const KEEP_DAYS = 2;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

/**
 * Remembers Events API event ids in the shared storage (CREATE_ONLY writes), so a Slack
 * retry is processed once even when it reaches another instance. Keys carry the day of the
 * event's own `event_time` (identical in every retry), which lets old ids be pruned cheaply.
 */
export class SlackEventDedupe {
  private lastPrune = 0;

  constructor(
    private readonly storage: StoragePort,
    private readonly logger: Logger,
  ) {}

  /** True the first time an event id is seen by any instance. */
  async firstDelivery(eventId: string, eventTimeSeconds: number | undefined, now = new Date()): Promise<boolean> {
    const day = dayOf(eventTimeSeconds ? new Date(eventTimeSeconds * 1000) : now);
    try {
      await this.storage.write(`${PREFIX}${day}:${eventId}`, { receivedAt: now.toISOString() }, { ifMatch: CREATE_ONLY });
    } catch (err) {
      if (err instanceof StorageConflictError) return false;
      // Without the record we still answer: the coach's own activity-id check remains.
      this.logger.warn({ err, eventId }, 'could not record Slack event id');
      return true;
    }
    if (now.getTime() - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = now.getTime();
      this.prune(now).catch((err) => this.logger.warn({ err }, 'could not prune old Slack event ids'));
    }
    return true;
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
