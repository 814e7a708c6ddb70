import { randomUUID } from 'node:crypto';
import type { Language } from '../../config/config-schema';
import type { StoragePort } from '../../ports/storage';
import { redactPersonalData } from './pii-redaction';
import { analyze } from './text-analysis';

/**
 * What learners ask that the course does not answer: every declined question and every answer
 * marked 👍 or 👎, for course editors (`npm run qa:gaps`, the facilitators' "question gaps").
 * Entries hold the question with personal data redacted, its language and the time; never who
 * asked. Keys sort by time (qa-log:<ISO time>:<id>), so a period is one range of keys.
 */
export const QUESTION_LOG_PREFIX = 'qa-log:';

export type QuestionOutcome = 'declined' | 'helpful' | 'unhelpful';

export interface QuestionLogEntry {
  at: string;
  lang: Language;
  question: string;
  outcome: QuestionOutcome;
}

export interface QuestionGap {
  /** The most recent wording of the group. */
  question: string;
  count: number;
  outcomes: QuestionOutcome[];
  langs: Language[];
  last: string;
}

/** A period of at most this many entries is read for one report. */
const MAX_ENTRIES = 5000;

export class QuestionLog {
  constructor(private readonly storage: StoragePort) {}

  async record(entry: Omit<QuestionLogEntry, 'question'> & { question: string }): Promise<void> {
    const value: QuestionLogEntry = { ...entry, question: redactPersonalData(entry.question).slice(0, 500) };
    await this.storage.write(`${QUESTION_LOG_PREFIX}${entry.at}:${randomUUID().slice(0, 8)}`, value);
  }

  async entries(from: Date, to: Date): Promise<QuestionLogEntry[]> {
    const keys = await this.storage.list(QUESTION_LOG_PREFIX, { startAfter: `${QUESTION_LOG_PREFIX}${from.toISOString()}`, limit: MAX_ENTRIES });
    const until = `${QUESTION_LOG_PREFIX}${to.toISOString()}~`;
    const out: QuestionLogEntry[] = [];
    for (const key of keys.filter((k) => k <= until)) {
      const doc = await this.storage.read<QuestionLogEntry>(key);
      if (doc) out.push(doc.value);
    }
    return out;
  }

  /**
   * Declined and unhelpful questions of the period, grouped by their content words (so "What is
   * X-Road?" and "what's x-road" are one line), most frequent first.
   */
  async gaps(from: Date, to: Date): Promise<QuestionGap[]> {
    const groups = new Map<string, QuestionGap>();
    for (const e of await this.entries(from, to)) {
      if (e.outcome === 'helpful') continue;
      const key = `${e.lang}:${[...new Set(analyze(e.question, e.lang))].sort().join(' ') || e.question.toLowerCase()}`;
      const g = groups.get(key);
      if (!g) groups.set(key, { question: e.question, count: 1, outcomes: [e.outcome], langs: [e.lang], last: e.at });
      else {
        g.count++;
        if (!g.outcomes.includes(e.outcome)) g.outcomes.push(e.outcome);
        if (e.at >= g.last) Object.assign(g, { question: e.question, last: e.at });
      }
    }
    return [...groups.values()].sort((a, b) => b.count - a.count || b.last.localeCompare(a.last));
  }
}
