import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { SqliteStorage } from '../src/adapters/storage/sqlite-storage';
import { PostgresStorage } from '../src/adapters/storage/postgres-storage';
import { learnerKey, newLearnerRecord, RECENT_ACTIVITY_LIMIT } from '../src/core/learner';
import type { StoragePort } from '../src/ports/storage';
import { seededRandom } from '../src/core/seeded-random';

/**
 * `npm run bench:growth`: does a turn's storage work cost more as learners accumulate? For each
 * of BENCH_GROWTH_LEARNERS (default 1000,100000) it fills a store of its own with that many
 * learners (each with a full recent-activity list and a conversation reference), then times
 * what a turn does with storage (read the learner, write it back with its eTag, refresh its
 * conversation reference) for existing and for new learners, and a page of a small prefix (what
 * the reminder and cohort passes list), on SQLite and, with BENCH_DATABASE_URL, on PostgreSQL
 * through two storage instances per table (two app instances sharing it). The stores are measured
 * in alternating batches of BENCH_GROWTH_BATCH turns (the order reversed every other batch), so
 * whatever else the machine does hits every size alike; besides the medians it prints, per
 * operation, each size's cost over the smallest's: the median of the per-batch ratios, their middle
 * half [p25–p75] and their min–max (a batch's median over the smallest size's batch next to it in
 * time). Nothing here is a test assertion.
 */
const SIZES = (process.env.BENCH_GROWTH_LEARNERS ?? '1000,100000').split(',').map(Number);
/**
 * Turns timed per size, in batches; one more batch per size first warms up and is not counted.
 * Batches are short because PostgreSQL's stalls here (commit latency) last longer than one, so a
 * stall slows neighbouring batches of both sizes: 100-turn batches gave per-batch ratios spread
 * 0.76–1.18 over the middle half, 20-turn ones 0.98–1.08.
 */
const TURNS = Number(process.env.BENCH_GROWTH_TURNS ?? 4000);
const BATCH = Number(process.env.BENCH_GROWTH_BATCH ?? 20);
const OPERATIONS = ['existing', 'created', 'list'] as const;
type Operation = (typeof OPERATIONS)[number];
type Samples = Record<Operation, number[]>;

function learner(i: number, now: Date) {
  const record = newLearnerRecord('msteams', `seed-${i}`, now);
  record.recentActivityIds = Array.from({ length: RECENT_ACTIVITY_LIMIT }, (_, n) => `activity-${i}-${n}`);
  record.data.course = { lesson: 'm1-l1', step: 3, answers: { 'm1-l1-q1': 'a', 'm1-l1-q2': 'b' } };
  return record;
}

async function seed(storage: StoragePort, learners: number): Promise<void> {
  const now = new Date();
  const batch: Promise<unknown>[] = [];
  for (let i = 0; i < learners; i++) {
    const key = learnerKey('msteams', `seed-${i}`);
    batch.push(storage.write(key, learner(i, now)), storage.write(`convref:${key}`, { serviceUrl: 'https://example.org', at: now.getTime() }));
    if (batch.length >= 100) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
  for (let i = 0; i < 20; i++) await storage.write(`reminder:msteams:r-${i}`, { at: now.toISOString() });
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;
const median = (xs: number[]) => quantile(xs, 0.5);

interface Store {
  learners: number;
  instances: StoragePort[];
  random: () => number;
  turns: number;
}

/** Milliseconds per operation over `turns` turns: an existing learner's, a new learner's, a 100-key page of a small prefix. */
async function batch(store: Store, turns: number): Promise<Samples> {
  const samples: Samples = { existing: [], created: [], list: [] };
  for (let n = 0; n < turns; n++) {
    const i = store.turns++;
    const storage = store.instances[i % store.instances.length]!;
    const key = learnerKey('msteams', `seed-${Math.floor(store.random() * store.learners)}`);
    let t = performance.now();
    const stored = await storage.read<ReturnType<typeof learner>>(key);
    await storage.write(key, { ...stored!.value, updatedAt: new Date().toISOString() }, { ifMatch: stored!.etag });
    await storage.write(`convref:${key}`, { serviceUrl: 'https://example.org', at: Date.now() });
    samples.existing.push(performance.now() - t);

    const fresh = learnerKey('msteams', `new-${i}`);
    t = performance.now();
    await storage.read(fresh);
    await storage.write(fresh, learner(i, new Date()));
    await storage.write(`convref:${fresh}`, { serviceUrl: 'https://example.org', at: Date.now() });
    samples.created.push(performance.now() - t);
    // Untimed: so the store keeps the size it is measured at.
    await storage.delete(fresh);
    await storage.delete(`convref:${fresh}`);

    t = performance.now();
    await storage.list('reminder:', { limit: 100 });
    samples.list.push(performance.now() - t);
  }
  return samples;
}

const micros = (ms: number) => (ms * 1000).toFixed(0);

async function main(): Promise<void> {
  const out = process.stdout;
  const batches = Math.ceil(TURNS / BATCH);
  out.write(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load ${os.loadavg()[0]!.toFixed(1)}; ` +
      `${batches} alternating batches of ${BATCH} turns per size; median µs of a turn's storage work\n`,
  );
  const targets: { name: string; open(learners: number): StoragePort[]; close(): Promise<void> }[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'govai-growth-'));
  targets.push({
    name: 'SQLite',
    open: (learners) => [new SqliteStorage(path.join(tmp, `bench-${learners}.db`))],
    close: async () => undefined,
  });
  const url = process.env.BENCH_DATABASE_URL;
  if (url) {
    const tables: string[] = [];
    targets.push({
      name: 'PostgreSQL ×2',
      open: (learners) => {
        const table = `govai_bench_growth_${process.pid}_${learners}`;
        tables.push(table);
        return [new PostgresStorage(url, { table }), new PostgresStorage(url, { table })];
      },
      close: async () => {
        const pool = new Pool({ connectionString: url });
        for (const table of tables) await pool.query(`DROP TABLE IF EXISTS ${table}`);
        await pool.end();
      },
    });
  }
  for (const target of targets) {
    const stores: Store[] = [];
    try {
      for (const learners of SIZES) {
        const instances = target.open(learners);
        for (const s of instances) await s.open();
        const t = performance.now();
        await seed(instances[0]!, learners);
        out.write(`\n${target.name}: ${learners} learners seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
        stores.push({ learners, instances, random: seededRandom(learners), turns: 0 });
      }
      out.write('\n');
      for (const store of stores) await batch(store, BATCH);
      const all = stores.map((): Samples => ({ existing: [], created: [], list: [] }));
      const medians = stores.map(() => [] as Record<Operation, number>[]);
      for (let b = 0; b < batches; b++) {
        const turns = Math.min(BATCH, TURNS - b * BATCH);
        const order = stores.map((_, i) => (b % 2 ? stores.length - 1 - i : i));
        for (const i of order) {
          const samples = await batch(stores[i]!, turns);
          for (const op of OPERATIONS) all[i]![op].push(...samples[op]);
          medians[i]!.push({ existing: median(samples.existing), created: median(samples.created), list: median(samples.list) });
        }
      }
      out.write(`${'learners'.padStart(15)}  ${'existing learner µs'.padStart(30)}  ${'new learner µs'.padStart(30)}  ${'list page µs'.padStart(30)}\n`);
      stores.forEach((store, i) => {
        out.write(`${String(store.learners).padStart(15)}  ${OPERATIONS.map((op) => micros(median(all[i]![op])).padStart(30)).join('  ')}\n`);
      });
      for (let i = 1; i < stores.length; i++) {
        const ratios = OPERATIONS.map((op) => {
          const r = medians[i]!.map((m, b) => m[op] / medians[0]![b]![op]);
          const range = (lo: number, hi: number) => `${lo.toFixed(2)}–${hi.toFixed(2)}`;
          return `${median(r).toFixed(2)} [${range(quantile(r, 0.25), quantile(r, 0.75))}] (${range(Math.min(...r), Math.max(...r))})`.padStart(30);
        });
        out.write(`${`${stores[i]!.learners}/${stores[0]!.learners}`.padStart(15)}  ${ratios.join('  ')}\n`);
      }
    } finally {
      for (const store of stores) for (const s of store.instances) await s.close();
      await target.close();
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}
main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
