import type { LearnerRecord } from '../learner';
import { CodedError } from '../../errors/coded-error';

/** The person whose data is exported or erased: one learner record key and what identifies them. */
export interface DataSubject {
  /** Learner record key, `learner:<channel>:<user>`. */
  learnerKey: string;
  channelId: string;
  userId: string;
  /** The learner record as stored (or as the current turn holds it), when there is one. */
  learner?: LearnerRecord;
}

/** What one source holds about a subject, for the export file and its summary card. */
export interface PersonalDataSection {
  /** How many records (documents, entries) this section holds; 0 sections are left out. */
  count: number;
  /** JSON-serialisable content for the export file. */
  data: unknown;
}

/**
 * One kind of personal data a feature stores. Every feature that keeps something about a
 * learner registers a source, so `my data` export and delete cover it without knowing its shape.
 */
export interface PersonalDataSource {
  /** Stable id; the export file's section name, e.g. "reminders". */
  name: string;
  /** i18n key of the section's label on the summary card (any namespace). */
  labelKey: string;
  export(subject: DataSubject): Promise<PersonalDataSection | undefined>;
  /** Removes or anonymises everything of the subject; returns how many documents changed. */
  erase(subject: DataSubject): Promise<number>;
  /**
   * Erased after every other source: the learner record, so that an erasure that failed half
   * way can be found again (inactive-learner purge) and finished.
   */
  eraseLast?: boolean;
}

export interface PersonalDataExport {
  format: 'govai-coach.personal-data/1';
  exportedAt: string;
  subject: { channelId: string; userId: string };
  sections: Record<string, unknown>;
}

export interface ExportSummaryLine {
  name: string;
  labelKey: string;
  count: number;
}

export class PersonalDataError extends CodedError<'personal_data_source_duplicate' | 'personal_data_erase_failed'> {
  constructor(code: 'personal_data_source_duplicate' | 'personal_data_erase_failed', message: string) {
    super(code, message);
  }
}

/** The registry of every personal-data source; sources run in registration order. */
export class PersonalDataRegistry {
  private readonly list: PersonalDataSource[] = [];

  register(source: PersonalDataSource): this {
    if (this.list.some((s) => s.name === source.name)) throw new PersonalDataError('personal_data_source_duplicate', `personal data source "${source.name}" is registered twice`);
    this.list.push(source);
    return this;
  }

  sources(): readonly PersonalDataSource[] {
    return this.list;
  }

  async exportAll(subject: DataSubject, now: Date): Promise<{ file: PersonalDataExport; summary: ExportSummaryLine[] }> {
    const sections: Record<string, unknown> = {};
    const summary: ExportSummaryLine[] = [];
    for (const source of this.list) {
      const section = await source.export(subject);
      if (!section || section.count === 0) continue;
      sections[source.name] = section.data;
      summary.push({ name: source.name, labelKey: source.labelKey, count: section.count });
    }
    return { file: { format: 'govai-coach.personal-data/1', exportedAt: now.toISOString(), subject: { channelId: subject.channelId, userId: subject.userId }, sections }, summary };
  }

  /**
   * Runs every eraser, even after one fails, so one broken source does not leave the rest in
   * place; then reports the failures together. Erasers are idempotent: running again finishes the job.
   */
  async eraseAll(subject: DataSubject): Promise<Record<string, number>> {
    const changed: Record<string, number> = {};
    const failed: string[] = [];
    const ordered = [...this.list.filter((s) => !s.eraseLast), ...this.list.filter((s) => s.eraseLast)];
    for (const source of ordered) {
      // Keep the record that identifies the subject when something failed, so the erasure can run again.
      if (source.eraseLast && failed.length) break;
      try {
        changed[source.name] = await source.erase(subject);
      } catch (err) {
        failed.push(`${source.name} (${err instanceof Error ? err.message : String(err)})`);
      }
    }
    if (failed.length) throw new PersonalDataError('personal_data_erase_failed', `erasure failed in: ${failed.join('; ')}`);
    return changed;
  }
}

export function subjectOf(learner: LearnerRecord): DataSubject {
  return { learnerKey: learner.key, channelId: learner.channelId, userId: learner.userId, learner };
}

/** Every key under `prefix`, page by page (the storage port lists at most a page at a time). */
export async function listAll(storage: { list(prefix: string, options?: { limit?: number; startAfter?: string }): Promise<string[]> }, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for (let startAfter: string | undefined; ; ) {
    const page = await storage.list(prefix, { limit: 500, startAfter });
    keys.push(...page);
    if (page.length < 500) return keys;
    startAfter = page[page.length - 1];
  }
}
