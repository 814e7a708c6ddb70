import { randomUUID } from 'node:crypto';
import type { StoragePort } from '../../ports/storage';
import { listAll, type DataSubject, type PersonalDataSource } from './personal-data';
import { purgeTimeOrderedKeys } from './time-ordered-keys';

/** Kinds of access to other people's data that are recorded. Features add their own ("cohort.report"). */
export type AuditAction = 'audit.export' | 'learner.erase' | 'retention.purge' | (string & {});

export interface AuditEntry {
  id: string;
  /** ISO instant. */
  at: string;
  /** Who: a learner key (`learner:<channel>:<user>`), or "system" for scheduled jobs. */
  actor: string;
  action: AuditAction;
  /** Whose data, when one person's: a learner key (or a pseudonym once that learner is erased). */
  subject?: string;
  /** What else: a cohort id, a count, a module. Short strings only, never message text. */
  detail?: Record<string, string | number>;
}

export type AuditInput = Omit<AuditEntry, 'id' | 'at'> & { at?: Date };

/** The port features call to record access to other people's data: `audit.record({...})`. */
export interface AuditRecorder {
  record(entry: AuditInput): Promise<void>;
}

export const AUDIT_PREFIX = 'audit:';
export const SYSTEM_ACTOR = 'system';

/**
 * The audit log in the storage port, one document per entry under `audit:<ISO time>:<id>`,
 * so keys sort by time: listing a period and purging old entries need no other index.
 */
export class AuditLog implements AuditRecorder {
  constructor(private readonly storage: StoragePort) {}

  async record(input: AuditInput): Promise<void> {
    const { at, ...rest } = input;
    const entry: AuditEntry = { id: randomUUID(), at: (at ?? new Date()).toISOString(), ...rest };
    await this.storage.write(`${AUDIT_PREFIX}${entry.at}:${entry.id}`, entry);
  }

  /** Entries from `from` (inclusive) to `to` (exclusive), oldest first. */
  async list(range: { from?: Date; to?: Date } = {}): Promise<AuditEntry[]> {
    const keys = await listAll(this.storage, AUDIT_PREFIX);
    const from = range.from ? `${AUDIT_PREFIX}${range.from.toISOString()}` : '';
    const to = range.to ? `${AUDIT_PREFIX}${range.to.toISOString()}` : undefined;
    const entries: AuditEntry[] = [];
    for (const key of keys) {
      if (key < from || (to && key >= to)) continue;
      const doc = await this.storage.read<AuditEntry>(key);
      if (doc) entries.push(doc.value);
    }
    return entries;
  }

  /** Deletes entries older than `cutoff` (retention); returns how many. */
  purgeBefore(cutoff: Date): Promise<number> {
    return purgeTimeOrderedKeys(this.storage, AUDIT_PREFIX, cutoff);
  }

  /**
   * Entries stay after a learner is erased (they show who accessed whose data), but the
   * learner's key becomes a pseudonym that no longer names them.
   */
  personalDataSource(): PersonalDataSource {
    const mentions = (entry: AuditEntry, subject: DataSubject) => entry.actor === subject.learnerKey || entry.subject === subject.learnerKey;
    return {
      name: 'auditLog',
      labelKey: 'privacy:sections.auditLog',
      export: async (subject) => {
        const entries = (await this.list()).filter((e) => mentions(e, subject));
        return { count: entries.length, data: entries };
      },
      erase: async (subject) => {
        const pseudonym = erasedSubjectPseudonym();
        let changed = 0;
        for (const key of await listAll(this.storage, AUDIT_PREFIX)) {
          const doc = await this.storage.read<AuditEntry>(key);
          if (!doc || !mentions(doc.value, subject)) continue;
          const entry = { ...doc.value, actor: doc.value.actor === subject.learnerKey ? pseudonym : doc.value.actor, ...(doc.value.subject === subject.learnerKey ? { subject: pseudonym } : {}) };
          await this.storage.write(key, entry);
          changed++;
        }
        return changed;
      },
    };
  }
}

/**
 * A random stand-in for an erased learner: one per erasure, so that person's entries still
 * group together, but nothing (not even a hash of their id) leads back to them.
 */
export function erasedSubjectPseudonym(): string {
  return `erased:${randomUUID()}`;
}
