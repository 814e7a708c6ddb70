import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { repoRoot } from '../config/repo-root';
import { loadConfig } from '../config/config';
import { SUPPORTED_LANGUAGES, type Language } from '../config/config-schema';
import { createApp } from '../app/create-app';
import { createLogger } from '../logging/logger';
import { prepareQa } from '../adapters/retrieval/qa-runtime';
import type { QaService } from '../core/qa/answer-service';
import { countGroupsMet, meetsExpectations } from '../core/qa/expectation-match';
import { detectQuestionLanguage } from '../core/qa/question-language';
import type { Reply } from '../intents/reply';
import type { RetrievalMode } from '../ports/retrieval';
import { CodedError } from '../errors/coded-error';

/**
 * `npm run eval [-- [--offline] [--verbose] [--failures] [file.jsonl ...]]`: runs every set in
 * ../shared/eval and, reported apart, our held-out bench/qa-heldout*.jsonl (or the files given) through the bot's own turn path (Coach → routes → Q&A), as a new learner
 * per question, and prints:
 * - on-topic questions (lines with `expect`): pass share per language, with the learner's locale
 *   matching the question and with an English locale, and per style; a follow-up's `context` is
 *   asked first in the same conversation (unscored);
 * - off-topic questions (`expect_declined`): share declined with the closest lessons, per kind;
 * - small talk (`text`): share answered with a small-talk reply;
 * - retrieval on the on-topic questions: Recall@5 and MRR of the hybrid index and of BM25 alone.
 */
const onTopicSchema = z.object({
  id: z.string(),
  lang: z.enum(SUPPORTED_LANGUAGES),
  question: z.string().min(1),
  expect: z.array(z.array(z.string().min(1)).min(1)).min(1),
  style: z.string().optional(),
  module: z.string().optional(),
  context: z.string().optional(),
});
const offTopicSchema = z.object({ id: z.string(), lang: z.enum(SUPPORTED_LANGUAGES), question: z.string().min(1), expect_declined: z.literal(true), kind: z.string().default('unrelated') });
const smallTalkSchema = z.object({ id: z.string(), lang: z.enum(SUPPORTED_LANGUAGES), text: z.string().min(1), kind: z.string() });
type OnTopic = z.infer<typeof onTopicSchema>;
type OffTopic = z.infer<typeof offTopicSchema>;
type SmallTalkLine = z.infer<typeof smallTalkSchema>;

const EVAL_DIR = path.resolve(repoRoot(), '..', 'shared', 'eval');
/** Our own held-out questions (bench/qa-heldout*.jsonl), reported apart from ../shared/eval. */
const BENCH_DIR = path.resolve(repoRoot(), 'bench');
const LOCALE: Record<Language, string> = { en: 'en-US', es: 'es-ES', fr: 'fr-FR', pt: 'pt-BR', ar: 'ar-SA' };

interface Tally {
  n: number;
  ok: number;
}

class Tallies {
  private readonly map = new Map<string, Tally>();
  add(key: string, ok: boolean): void {
    const t = this.map.get(key) ?? { n: 0, ok: 0 };
    this.map.set(key, { n: t.n + 1, ok: t.ok + (ok ? 1 : 0) });
  }
  get(key: string): Tally | undefined {
    return this.map.get(key);
  }
  keys(): string[] {
    return [...this.map.keys()];
  }
}

const pct = (t: Tally | undefined) => (t ? `${((100 * t.ok) / t.n).toFixed(0)}%`.padStart(5) + ` (${t.ok}/${t.n})`.padEnd(10) : '    -          ');

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const offline = args.includes('--offline');
  const verbose = args.includes('--verbose');
  const failures = args.includes('--failures');
  const files = args.filter((a) => !a.startsWith('--'));
  const jsonl = (dir: string, name: RegExp) =>
    fs
      .readdirSync(dir)
      .filter((f) => name.test(f))
      .sort()
      .map((f) => path.join(dir, f));
  const sets = readSets(files.length ? files : jsonl(EVAL_DIR, /\.jsonl$/));
  const heldOut = readSets(files.length ? [] : jsonl(BENCH_DIR, /^qa-heldout.*\.jsonl$/));

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govai-eval-'));
  const base = loadConfig();
  const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: dataDir, INDEX_DIR: base.paths.index, STORAGE: 'sqlite', LOG_LEVEL: 'silent' };
  if (offline) for (const key of Object.keys(env)) if (/^(OPENAI|AZURE_OPENAI)_/.test(key)) delete env[key];
  const config = loadConfig(env);
  const app = await createApp(config, { logger: createLogger({ level: 'silent' }) });
  await app.open();
  const { service, retriever } = await prepareQa(config, { offline });
  const out = process.stdout;
  out.write(`answerer: ${service.llmEnabled ? 'LLM' : 'offline extractive'}; index languages: ${retriever.languages().join(', ')}\n`);

  const ask = async (locale: Language, id: string, text: string, context?: string): Promise<Reply | undefined> => {
    const userId = `eval-${id}-${locale}-${++turnNo}`;
    const send = async (t: string) =>
      (await app.coach.handle({ channelId: 'eval', userId, conversationId: userId, scope: 'personal', locale: LOCALE[locale], text: t, activityId: `${userId}-${t.length}-${Math.random()}` })).replies;
    if (context) await send(context);
    const replies = await send(text);
    return replies.find((r) => r.intent === 'answer' || r.intent === 'not-covered' || r.intent === 'small-talk') ?? replies[0];
  };
  let turnNo = 0;
  const groups: [string, Sets][] = [[files.length ? files.join(', ') : 'development (../shared/eval)', sets]];
  if (!files.length && heldOut.onTopic.length + heldOut.offTopic.length) groups.push(['held-out (bench/qa-heldout*.jsonl, ours: not used for tuning)', heldOut]);
  for (const [label, group] of groups) {
    out.write(`\n=== ${label} ===\n`);
    await evaluate(group, { ask, service, verbose, failures, chunksOf: (l) => retriever.chunks(l) });
  }
  await app.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return 0;
}

type Sets = ReturnType<typeof readSets>;
type Ask = (locale: Language, id: string, text: string, context?: string) => Promise<Reply | undefined>;

interface EvalContext {
  ask: Ask;
  service: QaService;
  verbose: boolean;
  /** Print why each on-topic question failed, and the count per cause. */
  failures: boolean;
  chunksOf: (lang: Language) => { title: string; text: string }[];
}

/** One set's pass shares per language, locale, style and kind, and its retrieval figures. */
async function evaluate(sets: Sets, ctx: EvalContext): Promise<void> {
  const { ask, verbose, out } = { ...ctx, out: process.stdout };
  out.write(`${sets.onTopic.length} on-topic, ${sets.offTopic.length} off-topic and ${sets.smallTalk.length} small-talk lines\n\n`);
  const own = new Tallies();
  const english = new Tallies();
  const styles = new Tallies();
  const causes = new Tallies();
  const passes = (reply: Reply | undefined, q: OnTopic) => reply?.intent === 'answer' && meetsExpectations(reply.text ?? '', q.expect);
  const explainFailure = async (q: OnTopic, locale: Language, reply: Reply | undefined) => {
    if (!ctx.failures) return;
    const why = await diagnose(ctx.service, q, locale, ctx.chunksOf);
    causes.add(why.cause, false);
    out.write(
      `FAIL ${why.cause.padEnd(16)} ${q.id} [${q.lang}/${locale} locale, ${q.style ?? '-'}] ${why.detail}\n  ${q.question}\n  -> (${reply?.intent}) ${(reply?.text ?? '').slice(0, 200).replace(/\s+/g, ' ')}\n`,
    );
  };
  for (const q of sets.onTopic) {
    const mine = await ask(q.lang, q.id, q.question, q.context);
    const ok = passes(mine, q);
    own.add(q.lang, ok);
    own.add('all', ok);
    styles.add(q.style ?? 'course wording', ok);
    if (verbose && !ok) out.write(`FAIL ${q.id} [${q.lang}/${q.lang}] ${q.question}\n  -> (${mine?.intent}) ${(mine?.text ?? '').slice(0, 240).replace(/\s+/g, ' ')}\n`);
    if (!ok) await explainFailure(q, q.lang, mine);
    if (q.lang !== 'en') {
      const en = await ask('en', q.id, q.question, q.context);
      const okEn = passes(en, q);
      english.add(q.lang, okEn);
      english.add('all', okEn);
      if (verbose && !okEn && ok) out.write(`FAIL ${q.id} [${q.lang}/en locale] ${q.question}\n  -> (${en?.intent}) ${(en?.text ?? '').slice(0, 240).replace(/\s+/g, ' ')}\n`);
      if (!okEn && ok) await explainFailure(q, 'en', en);
    }
  }
  const declined = new Tallies();
  for (const q of sets.offTopic) {
    const reply = await ask(q.lang, q.id, q.question);
    const ok = reply?.intent === 'not-covered' && (reply.items?.length ?? 0) > 0;
    declined.add(q.kind, ok);
    declined.add(q.lang, ok);
    declined.add('all', ok);
    if ((verbose || ctx.failures) && !ok) {
      const a = ctx.failures ? await ctx.service.ask({ question: q.question, lang: detectQuestionLanguage(q.question, q.lang, (w, l) => ctx.service.knowsWord(w, l)) ?? q.lang }) : undefined;
      const e = a && 'evidence' in a ? a.evidence : undefined;
      const why = e
        ? ` conf ${a!.kind !== 'empty' && 'confidence' in a! ? a.confidence.toFixed(2) : '-'} cov ${e.coverage.toFixed(2)} names ${e.unknownNames.toFixed(2)} agree ${e.agreement} sim ${e.similarity.toFixed(2)}`
        : '';
      out.write(`ANSWERED ${q.id} [${q.lang}, ${q.kind}]${why} ${q.question}\n  -> (${reply?.intent}) ${(reply?.text ?? '').slice(0, 200).replace(/\s+/g, ' ')}\n`);
    }
  }
  const chat = new Tallies();
  for (const s of sets.smallTalk) {
    const reply = await ask(s.lang, s.id, s.text);
    const ok = reply?.intent === 'small-talk';
    chat.add(s.lang, ok);
    chat.add('all', ok);
    if (verbose && !ok) out.write(`MISSED ${s.id} [${s.lang}] ${s.text} -> (${reply?.intent})\n`);
  }

  const langs = [...SUPPORTED_LANGUAGES, 'all'];
  out.write('\nOn-topic questions answered with the expected facts\nlang | learner locale = question | English locale  | off-topic declined | small talk handled\n');
  for (const l of langs) out.write(`${l.padEnd(4)} | ${pct(own.get(l))}           | ${pct(english.get(l))} | ${pct(declined.get(l))}    | ${pct(chat.get(l))}\n`);
  out.write('\nper style (learner locale = question):\n');
  for (const s of styles.keys().sort()) out.write(`  ${s.padEnd(15)} ${pct(styles.get(s))}\n`);
  out.write('off-topic declined with the closest lessons, per kind:\n');
  for (const k of declined
    .keys()
    .filter((k) => !langs.includes(k))
    .sort())
    out.write(`  ${k.padEnd(15)} ${pct(declined.get(k))}\n`);

  if (ctx.failures) {
    out.write('failures per cause:\n');
    for (const c of causes.keys().sort()) out.write(`  ${c.padEnd(16)} ${causes.get(c)!.n}\n`);
  }
  await retrievalReport(ctx.service, sets.onTopic, ctx.chunksOf);
}
type Cause = 'language' | 'not-in-course' | 'retrieval-miss' | 'gate-declined' | 'composition';

/**
 * Why an on-topic question failed, asked again through the service with the language the
 * route would pick: the question searched in the wrong language; no passage of the course
 * holds the facts; retrieval left the passage that holds them out of the top 5; the
 * not-covered decision declined with it in the top 5; or the answer was composed without them.
 */
async function diagnose(service: QaService, q: OnTopic, locale: Language, chunksOf: EvalContext['chunksOf']): Promise<{ cause: Cause; detail: string }> {
  const lang = detectQuestionLanguage(q.question, locale, (w, l) => service.knowsWord(w, l)) ?? locale;
  if (lang !== q.lang) return { cause: 'language', detail: `searched in ${lang}` };
  const history = q.context ? [{ question: q.context, answer: '' }] : [];
  const answer = await service.ask({ question: q.question, lang, history });
  if (answer.kind !== 'answer' && answer.kind !== 'not-covered') return { cause: 'composition', detail: answer.kind };
  const best = Math.max(0, ...chunksOf(answer.contentLang).map((c) => countGroupsMet(`${c.title} ${c.text}`, q.expect)));
  const rank = answer.passages.findIndex((p) => countGroupsMet(`${p.chunk.title} ${p.chunk.text}`, q.expect) === best);
  const e = answer.evidence;
  const detail = `conf ${answer.confidence.toFixed(2)} cov ${e?.coverage.toFixed(2) ?? '-'} names ${e?.unknownNames.toFixed(2) ?? '-'} agree ${e?.agreement ?? '-'} sim ${e?.similarity.toFixed(2) ?? '-'}; best passage meets ${best}/${q.expect.length} groups, at rank ${rank + 1 || '-'}; top ${answer.passages[0]?.chunk.id ?? '-'}; query "${answer.query}"`;
  if (best === 0) return { cause: 'not-in-course', detail };
  if (rank < 0) return { cause: 'retrieval-miss', detail };
  return { cause: answer.kind === 'not-covered' ? 'gate-declined' : 'composition', detail };
}

/** Recall@5 and MRR: the first passage meeting as many `expect` groups as the best passage of that language counts. */
async function retrievalReport(service: QaService, questions: OnTopic[], chunksOf: (lang: Language) => { title: string; text: string }[]): Promise<void> {
  const rows: string[] = [];
  for (const mode of ['hybrid', 'lexical'] as RetrievalMode[]) {
    let recall = 0;
    let rr = 0;
    let n = 0;
    for (const q of questions.filter((x) => !x.context)) {
      const answer = await service.ask({ question: q.question, lang: q.lang, retrievalMode: mode });
      if (answer.kind !== 'answer' && answer.kind !== 'not-covered') continue;
      n++;
      const best = Math.max(0, ...chunksOf(answer.contentLang).map((c) => countGroupsMet(`${c.title} ${c.text}`, q.expect)));
      if (!best) continue;
      const rank = answer.passages.slice(0, 5).findIndex((p) => countGroupsMet(`${p.chunk.title} ${p.chunk.text}`, q.expect) === best);
      if (rank >= 0) {
        recall++;
        rr += 1 / (rank + 1);
      }
    }
    rows.push(`  ${mode === 'hybrid' ? 'hybrid   ' : 'BM25 only'}  R@5 ${(recall / (n || 1)).toFixed(2)}  MRR ${(rr / (n || 1)).toFixed(2)}  (${n} questions without context)`);
  }
  process.stdout.write(`retrieval:\n${rows.join('\n')}\n`);
}

function readSets(files: string[]): { onTopic: OnTopic[]; offTopic: OffTopic[]; smallTalk: SmallTalkLine[] } {
  const sets = { onTopic: [] as OnTopic[], offTopic: [] as OffTopic[], smallTalk: [] as SmallTalkLine[] };
  for (const file of files) {
    fs.readFileSync(file, 'utf8')
      .split(/\r?\n/)
      .forEach((raw, i) => {
        const line = raw.trim();
        if (!line) return;
        let json: unknown;
        try {
          json = JSON.parse(line);
        } catch (err) {
          throw new CodedError('eval_set_invalid', `${file}:${i + 1}: not JSON (${(err as Error).message})`);
        }
        const kind = json && typeof json === 'object' ? ('expect_declined' in json ? offTopicSchema : 'text' in json ? smallTalkSchema : onTopicSchema) : onTopicSchema;
        const parsed = kind.safeParse(json);
        if (!parsed.success) throw new CodedError('eval_set_invalid', `${file}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`);
        if (kind === offTopicSchema) sets.offTopic.push(parsed.data as OffTopic);
        else if (kind === smallTalkSchema) sets.smallTalk.push(parsed.data as SmallTalkLine);
        else sets.onTopic.push(parsed.data as OnTopic);
      });
  }
  return sets;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`eval failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
