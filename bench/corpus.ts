import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SUPPORTED_LANGUAGES, type Language } from '../src/config/config-schema';
import { collectChunks } from '../src/adapters/retrieval/course-chunks';
import { buildIndex, ensureIndex, localEmbeddingChoice } from '../src/adapters/retrieval/index-store';
import { repoRoot } from '../src/config/repo-root';
import { seededRandom } from '../src/core/seeded-random';
import { startNodeFlags } from './start-flags';

/**
 * `npm run bench:corpus`: how the Q&A index scales with the amount of text. For each scale
 * (BENCH_CORPUS_SCALES, default 1,10,50 times the course) it generates reference documents
 * (REFERENCES_DIR, a temporary folder of Markdown) from the course's own sentences shuffled, in
 * every language the course has, so the vocabulary is realistic; then, each in a fresh process,
 * builds the index (time, peak RSS) and loads it as a start with unchanged content does
 * (reading the content, hashing it, loading the index files: time, RSS), and times hybrid
 * searches (p50/p95 over BENCH_CORPUS_QUERIES queries); then starts the bot itself on that content
 * and index (dist/src/main.js, as `npm start` runs it) and times it to a healthy /healthz, with its
 * RSS then and after BENCH_CORPUS_SETTLE_MS (15 s) idle. Nothing here is a test assertion.
 */
const SCALES = (process.env.BENCH_CORPUS_SCALES ?? '1,10,50').split(',').map(Number);
const QUERIES = Number(process.env.BENCH_CORPUS_QUERIES ?? 300);
const SOURCE_KNOWLEDGE = path.join(repoRoot(), 'knowledge');
/** A snapshot of the course taken per scale, so an edit during a long build does not make the load a rebuild. */
let KNOWLEDGE = SOURCE_KNOWLEDGE;
const QUESTIONS: Partial<Record<Language, string[]>> = {
  en: ['What did the court decide about SyRI?', 'what is automation bias', 'When do the AI Act prohibitions apply?', 'what is the once only principle', 'who runs X-Road?'],
  es: ['¿qué es el sesgo de automatización?', '¿quién gestiona X-Road?'],
  fr: ['qu’est-ce que le biais d’automatisation ?', 'qui gère X-Road ?'],
  pt: ['o que é o viés de automação?', 'quem gere o X-Road?'],
  ar: ['ما هو تحيز الأتمتة؟', 'من يدير X-Road؟'],
};

interface BuildResult {
  chunks: number;
  collectMs: number;
  buildMs: number;
  peakRssMb: number;
}
interface LoadResult {
  chunks: number;
  loadMs: number;
  rebuilt: boolean;
  rssMb: number;
  p50: number;
  p95: number;
  rssAfterMb: number;
}

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** (scale − 1) × the course's words, per language, as shuffled Markdown documents under dir/<lang>/. */
async function generateReferences(dir: string, scale: number): Promise<number> {
  const course = await collectChunks(KNOWLEDGE);
  let files = 0;
  for (const lang of SUPPORTED_LANGUAGES) {
    const texts = course.filter((c) => c.lang === lang);
    const sentences = texts.flatMap((c) => c.text.split(/(?<=[.!?؟])\s+/)).filter((s) => words(s) >= 4);
    const titles = texts.map((c) => c.title).filter(Boolean);
    if (!sentences.length) continue;
    const target = (scale - 1) * texts.reduce((n, c) => n + words(c.text), 0);
    // Seeded, so every run at a scale indexes the same documents.
    const next = seededRandom(scale * 1000 + lang.charCodeAt(0));
    const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)]!;
    fs.mkdirSync(path.join(dir, lang), { recursive: true });
    let written = 0;
    while (written < target) {
      const parts: string[] = [`# ${pick(titles)}`];
      for (let section = 0; section < 12 && written < target; section++) {
        parts.push(`## ${pick(titles)}`);
        for (let paragraph = 0; paragraph < 3; paragraph++) {
          const text = Array.from({ length: 3 + Math.floor(next() * 4) }, () => pick(sentences)).join(' ');
          written += words(text);
          parts.push(text);
        }
      }
      fs.writeFileSync(path.join(dir, lang, `generated-${++files}.md`), `${parts.join('\n\n')}\n`);
    }
  }
  return files;
}

function peakRssMb(): number {
  const line = fs
    .readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
  return line ? Math.round(Number(line.split(/\s+/)[1]) / 1024) : Math.round(process.memoryUsage().rss / 2 ** 20);
}
const rssMb = () => Math.round(process.memoryUsage().rss / 2 ** 20);

async function childBuild(references: string | undefined, indexDir: string): Promise<BuildResult> {
  const t0 = performance.now();
  const chunks = await collectChunks(KNOWLEDGE, references);
  const t1 = performance.now();
  await buildIndex(indexDir, chunks, localEmbeddingChoice());
  return { chunks: chunks.length, collectMs: t1 - t0, buildMs: performance.now() - t1, peakRssMb: peakRssMb() };
}

async function childLoad(references: string | undefined, indexDir: string): Promise<LoadResult> {
  const t0 = performance.now();
  // What a start with unchanged content does: read the content, hash it, load the index files.
  const chunks = await collectChunks(KNOWLEDGE, references);
  const { retriever, rebuilt } = await ensureIndex(indexDir, chunks, localEmbeddingChoice());
  const loadMs = performance.now() - t0;
  (globalThis as { gc?: () => void }).gc?.();
  const rss = rssMb();
  const langs = SUPPORTED_LANGUAGES.filter((l) => QUESTIONS[l] && retriever.languages().includes(l));
  const samples: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const lang = langs[i % langs.length]!;
    const list = QUESTIONS[lang]!;
    const s = performance.now();
    await retriever.search(list[Math.floor(i / langs.length) % list.length]!, lang, { mode: 'hybrid', k: 5 });
    samples.push(performance.now() - s);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { chunks: chunks.length, loadMs, rebuilt, rssMb: rss, p50: at(0.5), p95: at(0.95), rssAfterMb: rssMb() };
}

interface StartResult {
  healthyMs: number;
  rssMb: number;
  /** After SETTLE_MS idle: V8 gives back the memory of start-up's garbage (the parsed files) only then. */
  settledRssMb: number;
}

const SETTLE_MS = Number(process.env.BENCH_CORPUS_SETTLE_MS ?? 15_000);

/** The bot started on this content and index, timed to its first healthy /healthz (polled every 50 ms). */
async function botStart(references: string | undefined, indexDir: string, dataDir: string): Promise<StartResult> {
  const port = 39_000 + Math.floor(Math.random() * 900);
  const started = performance.now();
  const bot = spawn(process.execPath, [...startNodeFlags(repoRoot()), path.join(repoRoot(), 'dist', 'src', 'main.js')], {
    cwd: repoRoot(),
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', KNOWLEDGE_DIR: KNOWLEDGE, REFERENCES_DIR: references ?? '', INDEX_DIR: indexDir, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (;;) {
      if (bot.exitCode !== null) throw new Error(`the bot exited (${bot.exitCode}) before it was healthy`);
      if (performance.now() - started > 300_000) throw new Error('the bot was not healthy within 5 minutes');
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const healthyMs = performance.now() - started;
    const rss = () => Math.round(Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${bot.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
    const rssMb = rss();
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    return { healthyMs, rssMb, settledRssMb: rss() };
  } finally {
    bot.kill('SIGTERM');
    await new Promise((r) => bot.once('exit', r));
  }
}

function inChild<T>(mode: 'build' | 'load', references: string | undefined, indexDir: string): T {
  const result = spawnSync(process.execPath, ['--expose-gc', '--disable-warning=DEP0111', __filename], {
    env: { ...process.env, BENCH_CORPUS_CHILD: JSON.stringify({ mode, references, indexDir, knowledge: KNOWLEDGE }) },
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`${mode} at ${indexDir} failed (exit ${String(result.status)})`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as T;
}

async function main(): Promise<void> {
  const out = process.stdout;
  out.write(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; local embedding; ${QUERIES} hybrid searches per scale\n\n`,
  );
  out.write('scale  passages  build s   build peak MB  start load ms  RSS loaded MB  search p50/p95 ms  RSS after MB  bot healthy ms  bot RSS MB  settled MB\n');
  for (const scale of SCALES) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `govai-corpus-${scale}x-`));
    try {
      KNOWLEDGE = path.join(tmp, 'knowledge');
      fs.cpSync(SOURCE_KNOWLEDGE, KNOWLEDGE, { recursive: true });
      const references = scale > 1 ? path.join(tmp, 'references') : undefined;
      if (references) await generateReferences(references, scale);
      const indexDir = path.join(tmp, 'index');
      const built = inChild<BuildResult>('build', references, indexDir);
      const loaded = inChild<LoadResult>('load', references, indexDir);
      const bot = await botStart(references, indexDir, path.join(tmp, 'data'));
      out.write(
        `${`${scale}×`.padEnd(5)}  ${String(built.chunks).padStart(8)}  ${(built.buildMs / 1000).toFixed(1).padStart(7)}  ${String(built.peakRssMb).padStart(13)}  ` +
          `${loaded.loadMs.toFixed(0).padStart(13)}${loaded.rebuilt ? ' (rebuilt!)' : ''}  ${String(loaded.rssMb).padStart(13)}  ${`${loaded.p50.toFixed(2)}/${loaded.p95.toFixed(2)}`.padStart(17)}  ${String(loaded.rssAfterMb).padStart(12)}  ${bot.healthyMs.toFixed(0).padStart(14)}  ${String(bot.rssMb).padStart(10)}  ${String(bot.settledRssMb).padStart(10)}\n`,
      );
    } finally {
      // BENCH_CORPUS_KEEP=1 keeps each scale's content and index (to profile a start on them).
      if (process.env.BENCH_CORPUS_KEEP) out.write(`  kept in ${tmp}\n`);
      else fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
}

const child = process.env.BENCH_CORPUS_CHILD;
(child
  ? (async () => {
      const { mode, references, indexDir, knowledge } = JSON.parse(child) as { mode: 'build' | 'load'; references?: string; indexDir: string; knowledge: string };
      KNOWLEDGE = knowledge;
      const result = mode === 'build' ? await childBuild(references, indexDir) : await childLoad(references, indexDir);
      process.stdout.write(`${JSON.stringify(result)}\n`);
    })()
  : main()
).catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
