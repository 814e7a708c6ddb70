import { loadConfig } from '../config/config';
import { createStorage } from '../app/create-storage';
import { QuestionLog } from '../core/qa/question-log';
import { CodedError } from '../errors/coded-error';

/**
 * `npm run qa:gaps [-- --days 30 | --from 2026-11-01 [--to 2026-11-30]]`: the questions the
 * course did not answer over a period (declined, or answered and marked 👎), grouped by their
 * words, most frequent first, with personal data already redacted when they were stored. For
 * course editors: what learners ask that the course does not cover.
 */
class UsageError extends CodedError {
  constructor(message: string) {
    super('usage', message);
  }
}

function period(args: string[], now: Date): { from: Date; to: Date } {
  const value = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const date = (name: string) => {
    const v = value(name);
    if (v === undefined) return undefined;
    const d = new Date(v);
    if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(d.getTime())) throw new UsageError(`${name} takes a date such as 2026-11-01, not "${v}"`);
    return d;
  };
  const daysText = value('--days');
  const days = daysText === undefined ? 30 : Number(daysText);
  if (!Number.isInteger(days) || days < 1) throw new UsageError(`--days takes a whole number of days, not "${daysText}"`);
  const to = date('--to') ?? now;
  return { from: date('--from') ?? new Date(to.getTime() - days * 86400000), to };
}

async function main(): Promise<number> {
  let range: { from: Date; to: Date };
  try {
    range = period(process.argv.slice(2), new Date());
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\nusage: npm run qa:gaps -- [--days 30 | --from YYYY-MM-DD [--to YYYY-MM-DD]]\n`);
    return 2;
  }
  const storage = createStorage(loadConfig());
  await storage.open();
  try {
    const gaps = await new QuestionLog(storage).gaps(range.from, range.to);
    const out = process.stdout;
    out.write(
      `Questions the course did not answer, ${range.from.toISOString().slice(0, 10)} to ${range.to.toISOString().slice(0, 10)}: ${gaps.reduce((n, g) => n + g.count, 0)} in ${gaps.length} groups\n\n`,
    );
    for (const g of gaps) out.write(`${String(g.count).padStart(4)}×  [${g.langs.join(',')}] ${g.question}  (${g.outcomes.join(', ')}; last ${g.last.slice(0, 10)})\n`);
    return 0;
  } finally {
    await storage.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`qa:gaps failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
