import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../config/repo-root';
import { z } from 'zod';
import { loadConfig } from '../config/config';
import { SUPPORTED_LANGUAGES, type Language } from '../config/config-schema';
import { prepareQa } from '../adapters/retrieval/qa-runtime';
import type { QaAnswer, QaService } from '../core/qa/answer-service';
import { countGroupsMet, meetsExpectations } from '../core/qa/expectation-match';
import type { Chunk, RetrievalMode } from '../ports/retrieval';

/**
 * `npm run eval [-- [--offline] [--verbose] [file.jsonl]]`: runs the eval questions through the
 * same answer service as the bot (hybrid retrieval) and through a BM25-only baseline, and prints
 * per language and overall:
 * - pass: share of answers meeting every `expect` group;
 * - R@5: share of questions with an answer-bearing passage among the 5 retrieved (a passage is
 *   answer-bearing when it meets as many `expect` groups as the best passage of that language);
 * - MRR: mean reciprocal rank of the first answer-bearing passage (0 when none is in the top 5).
 */
const questionSchema = z.object({
  id: z.string(),
  lang: z.enum(SUPPORTED_LANGUAGES),
  question: z.string().min(1),
  expect: z.array(z.array(z.string().min(1)).min(1)),
});
type EvalQuestion = z.infer<typeof questionSchema>;

const REPO_ROOT = repoRoot();
const DEFAULT_FILE = path.resolve(REPO_ROOT, '..', 'shared', 'eval', 'questions.dev.jsonl');

interface Scores {
  n: number;
  pass: number;
  recall: number;
  rr: number;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const offline = args.includes('--offline');
  const verbose = args.includes('--verbose');
  const file = args.find((a) => !a.startsWith('--')) ?? DEFAULT_FILE;
  const questions = readQuestions(file);
  const runtime = await prepareQa(loadConfig(), { offline });
  const { service, retriever } = runtime;
  process.stdout.write(`${questions.length} questions from ${path.relative(process.cwd(), file)}; answerer: ${service.llmEnabled ? 'LLM' : 'offline extractive'}; index languages: ${retriever.languages().join(', ')}\n\n`);

  const hybrid = new Map<string, Scores>();
  const lexical = new Map<string, Scores>();
  for (const q of questions) {
    const a = await scoreOne(service, q, 'hybrid', (l) => retriever.chunks(l));
    const b = await scoreOne(service, q, 'lexical', (l) => retriever.chunks(l));
    for (const [map, s] of [[hybrid, a], [lexical, b]] as const) for (const key of [q.lang, 'all']) add(map, key, s.scores);
    if (verbose && !a.scores.pass) process.stdout.write(`FAIL ${q.id} [${q.lang}] ${q.question}\n  -> (${a.answer.kind}) ${'text' in a.answer ? a.answer.text : ''}\n\n`);
  }

  const rows = [...SUPPORTED_LANGUAGES.filter((l) => hybrid.has(l)), 'all'];
  const pct = (x: number, n: number) => `${((100 * x) / n).toFixed(0)}%`.padStart(5);
  const num = (x: number, n: number) => (x / n).toFixed(2).padStart(5);
  process.stdout.write('lang    n |  pass   R@5   MRR | BM25 only: pass   R@5   MRR\n');
  for (const key of rows) {
    const h = hybrid.get(key)!;
    const l = lexical.get(key)!;
    process.stdout.write(`${key.padEnd(4)} ${String(h.n).padStart(4)} | ${pct(h.pass, h.n)} ${num(h.recall, h.n)} ${num(h.rr, h.n)} |            ${pct(l.pass, l.n)} ${num(l.recall, l.n)} ${num(l.rr, l.n)}\n`);
  }
  return 0;
}

async function scoreOne(service: QaService, q: EvalQuestion, mode: RetrievalMode, chunksOf: (lang: Language) => Chunk[]): Promise<{ answer: QaAnswer; scores: Scores }> {
  const answer = await service.ask({ question: q.question, lang: q.lang, retrievalMode: mode });
  const text = answer.kind === 'answer' ? answer.text : '';
  let recall = 0;
  let rr = 0;
  if (answer.kind === 'answer' || answer.kind === 'not-covered') {
    const corpus = chunksOf(answer.contentLang);
    const best = Math.max(0, ...corpus.map((c) => countGroupsMet(`${c.title} ${c.text}`, q.expect)));
    if (best > 0) {
      const rank = answer.passages.slice(0, 5).findIndex((p) => countGroupsMet(`${p.chunk.title} ${p.chunk.text}`, q.expect) === best);
      if (rank >= 0) {
        recall = 1;
        rr = 1 / (rank + 1);
      }
    }
  }
  return { answer, scores: { n: 1, pass: meetsExpectations(text, q.expect) ? 1 : 0, recall, rr } };
}

function add(map: Map<string, Scores>, key: string, s: Scores): void {
  const cur = map.get(key) ?? { n: 0, pass: 0, recall: 0, rr: 0 };
  map.set(key, { n: cur.n + s.n, pass: cur.pass + s.pass, recall: cur.recall + s.recall, rr: cur.rr + s.rr });
}

function readQuestions(file: string): EvalQuestion[] {
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((line, i) => ({ line: line.trim(), i }))
    .filter(({ line }) => line)
    .map(({ line, i }) => {
      const parsed = questionSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`);
      return parsed.data;
    });
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`eval failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
