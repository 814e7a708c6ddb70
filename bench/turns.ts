import { spawn, type ChildProcess } from 'node:child_process';
import { startNodeFlags } from './start-flags';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * `npm run bench:turns`: the bot and a minimal echo bot on the same stack (bench/echo-bot.ts),
 * each in its own process, driven in turn with the same load: distinct learners sending `help`,
 * `next` (a lesson step), a quiz answer and a course question, at several concurrencies. Prints
 * requests per second, latency percentiles and CPU per turn (from /proc of the server process),
 * each with its ratio to the echo bot, as min–max over the repetitions. Rate limits are off
 * (every learner is distinct, but they share one tenant).
 */
const REPO = path.resolve(__dirname, '..', '..');
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,8,32,64').split(',').map(Number);
const TURNS = Number(process.env.BENCH_TURNS ?? 400);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
/** Unmeasured turns of each kind first, so the runs measure a warmed-up process (JIT, caches), as a server is after its first minutes. */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);
const KINDS = ['help', 'next', 'answer', 'question'] as const;
type Kind = (typeof KINDS)[number];
/**
 * The course questions: our held-out ones (bench/qa-heldout*.jsonl, all five languages, typed the
 * way learners type), each with its language as the learner's locale, so the question turns are as
 * varied as a cohort's and the per-text caches (language votes, redaction) meet repeats only as
 * often as BENCH_TURNS exceeds the ~190 questions.
 */
const QUESTIONS: { text: string; locale: string }[] = fs
  .readdirSync(path.join(REPO, 'bench'))
  .filter((f) => /^qa-heldout.*\.jsonl$/.test(f))
  .flatMap((f) => fs.readFileSync(path.join(REPO, 'bench', f), 'utf8').split('\n'))
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as { lang: string; question: string; expect?: unknown })
  .filter((q) => q.expect)
  .map((q) => ({ text: q.question, locale: q.lang }));
const CLK_TCK = 100;

interface Server {
  name: string;
  url: string;
  pid: number;
  child: ChildProcess;
}

let sequence = 0;
function activity(user: string, body: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'message',
    id: `bench-${process.pid}-${++sequence}`,
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    from: { id: `29:${user}`, name: 'Bench Learner', aadObjectId: user },
    recipient: { id: '28:bot', name: 'govai-coach' },
    conversation: { id: `a:${user}`, conversationType: 'personal', tenantId: 'bench-tenant' },
    locale: 'en-US',
    deliveryMode: 'expectReplies',
    ...body,
  };
}

async function post(url: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

function cpuTicks(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function rssMb(pid: number): number {
  const line = fs
    .readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line?.split(/\s+/)[1] ?? 0) / 1024);
}

async function start(name: string, script: string, port: number, env: Record<string, string>, flags = ['--disable-warning=DEP0111']): Promise<Server> {
  const child = spawn(process.execPath, [...flags, script], { cwd: REPO, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { name, url, pid: child.pid!, child };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not become healthy`);
}

/** What a learner must have done before the measured turn: be in a lesson for `next`, at a quiz question for an answer. */
async function prepare(server: Server, kind: Kind, user: string): Promise<Record<string, unknown>> {
  if (server.name === 'echo') return kind === 'question' ? { ...QUESTIONS[sequence % QUESTIONS.length]! } : { text: kind };
  switch (kind) {
    case 'help':
      return { text: 'help' };
    case 'next':
      await post(server.url, activity(user, { value: { command: 'lesson.open', args: { lesson: 'm1-l1' } } }));
      return { value: { command: 'next' } };
    case 'answer': {
      const shown = await post(server.url, activity(user, { value: { command: 'quiz', args: { id: 'm1-l1' } } }));
      const question = /"question":"(m1-l1-q\d+)"/.exec(shown.text)?.[1] ?? 'm1-l1-q1';
      return { value: { command: 'quiz.answer', args: { question, answer: 'a' } } };
    }
    case 'question':
      return { ...QUESTIONS[sequence % QUESTIONS.length]! };
  }
}

interface Run {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  cpuMs: number;
}

async function run(server: Server, kind: Kind, concurrency: number, round: number, turns = TURNS): Promise<Run> {
  const users = Array.from({ length: turns }, (_, i) => `bench-${round}-${kind}-${concurrency}-${i}`);
  const bodies: Record<string, unknown>[] = [];
  for (const user of users) bodies.push(activity(user, await prepare(server, kind, user)));
  const latencies: number[] = [];
  let next = 0;
  const cpuBefore = cpuTicks(server.pid);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const t0 = performance.now();
        const res = await post(server.url, body);
        if (res.status !== 200) throw new Error(`${server.name} ${kind}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuMs = ((cpuTicks(server.pid) - cpuBefore) * 1000) / CLK_TCK / bodies.length;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { rps: bodies.length / seconds, p50: at(0.5), p95: at(0.95), p99: at(0.99), cpuMs };
}

const range = (values: number[], digits = 1) => {
  const min = Math.min(...values).toFixed(digits);
  const max = Math.max(...values).toFixed(digits);
  return min === max ? min : `${min}–${max}`;
};

async function main(): Promise<void> {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'govai-bench-'));
  const bot = await start(
    'bot',
    'dist/src/main.js',
    3990,
    {
      DATA_DIR: data,
      INDEX_DIR: path.join(REPO, 'data', 'index'),
      LOG_LEVEL: 'silent',
      WEBCHAT_ENABLED: 'false',
      RATE_LIMIT_TURNS_PER_MINUTE: '0',
      RATE_LIMIT_TENANT_TURNS_PER_MINUTE: '0',
    },
    startNodeFlags(REPO),
  );
  const echo = await start('echo', 'dist/bench/echo-bot.js', 3991, {});
  const out = process.stdout;
  out.write(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`);
  out.write(`${TURNS} turns per run, ${REPEAT} repetitions, bot and echo interleaved; ranges are min–max over repetitions\n`);
  for (const kind of WARMUP > 0 ? KINDS : []) {
    for (const server of [bot, echo]) await run(server, kind, 8, -1, WARMUP);
  }
  out.write(`warm-up: ${WARMUP} unmeasured turns of each kind first\n\n`);
  // Steady-state memory: RSS sampled through the measured runs, not one reading at the end (it moves with each collection).
  const samples = { bot: [] as number[], echo: [] as number[] };
  const sampler = setInterval(() => {
    samples.bot.push(rssMb(bot.pid));
    samples.echo.push(rssMb(echo.pid));
  }, 200);
  out.write('turn      conc  bot req/s     echo req/s    ratio       bot p50/p95/p99 ms     CPU/turn bot ms  echo ms\n');
  for (const kind of KINDS) {
    for (const concurrency of CONCURRENCY) {
      const bots: Run[] = [];
      const echoes: Run[] = [];
      for (let round = 0; round < REPEAT; round++) {
        bots.push(await run(bot, kind, concurrency, round));
        echoes.push(await run(echo, kind, concurrency, round));
      }
      const ratios = bots.map((b, i) => b.rps / echoes[i]!.rps);
      out.write(
        `${kind.padEnd(9)} ${String(concurrency).padStart(4)}  ${range(
          bots.map((b) => b.rps),
          0,
        ).padEnd(12)}  ${range(
          echoes.map((e) => e.rps),
          0,
        ).padEnd(12)}  ${range(ratios, 2).padEnd(10)}  ` +
          `${range(bots.map((b) => b.p50))}/${range(bots.map((b) => b.p95))}/${range(bots.map((b) => b.p99))}`.padEnd(22) +
          `  ${range(
            bots.map((b) => b.cpuMs),
            2,
          ).padEnd(15)}  ${range(
            echoes.map((e) => e.cpuMs),
            2,
          )}\n`,
      );
    }
  }
  clearInterval(sampler);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  out.write(
    `\nRSS during the measured runs (${samples.bot.length} samples, every 200 ms): bot median ${median(samples.bot)} MB, max ${Math.max(...samples.bot)} MB; ` +
      `echo median ${median(samples.echo)} MB, max ${Math.max(...samples.echo)} MB\n`,
  );
  out.write(`RSS after the run: bot ${rssMb(bot.pid)} MB, echo ${rssMb(echo.pid)} MB\n`);
  bot.child.kill('SIGTERM');
  echo.child.kill('SIGTERM');
  fs.rmSync(data, { recursive: true, force: true });
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
