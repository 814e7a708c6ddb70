import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { SqliteStorage } from '../src/adapters/storage/sqlite-storage';
import { PostgresStorage } from '../src/adapters/storage/postgres-storage';
import { learnerKey, newLearnerRecord, RECENT_ACTIVITY_LIMIT } from '../src/core/learner';
import type { StoragePort } from '../src/ports/storage';

/**
 * `npm run bench:growth`: does a turn's storage work cost more as learners accumulate? For
 * BENCH_GROWTH_LEARNERS (default 1000,100000) stored learners, each with a full recent-activity
 * list, it times what a turn does with storage (read the learner, write it back with its eTag,
 * refresh a conversation reference) for existing and for new learners, and a page of a small
 * prefix (what the reminder and cohort passes list), on SQLite and, with BENCH_DATABASE_URL, on
 * PostgreSQL through two storage instances (two app instances sharing the table). Nothing here
 * is a test assertion.
 */
const SIZES = (process.env.BENCH_GROWTH_LEARNERS ?? '1000,100000').split(',').map(Number);
const TURNS = Number(process.env.BENCH_GROWTH_TURNS ?? 2000);

function learner(i: number, now: Date) {
  const record = newLearnerRecord('msteams', `seed-${i}`, now);
  record.recentActivityIds = Array.from({ length: RECENT_ACTIVITY_LIMIT }, (_, n) => `activity-${i}-${n}`);
  record.data.course = { lesson: 'm1-l1', step: 3, answers: { 'm1-l1-q1': 'a', 'm1-l1-q2': 'b' } };
  return record;
}

async function seed(storage: StoragePort, from: number, to: number): Promise<void> {
  const now = new Date();
  const batch: Promise<unknown>[] = [];
  for (let i = from; i < to; i++) {
    batch.push(storage.write(learnerKey('msteams', `seed-${i}`), learner(i, now)));
    if (batch.length === 50) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
  for (let i = 0; i < 20; i++) await storage.write(`reminder:msteams:r-${i}`, { at: now.toISOString() });
}

const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Microseconds per operation: a turn of an existing learner, of a new learner, a 100-key page of a small prefix. */
async function measure(instances: StoragePort[], learners: number): Promise<{ existing: number; created: number; list: number }> {
  const pick = (i: number) => instances[i % instances.length]!;
  const existing: number[] = [];
  const created: number[] = [];
  const list: number[] = [];
  for (let i = 0; i < TURNS; i++) {
    const storage = pick(i);
    const key = learnerKey('msteams', `seed-${Math.floor(Math.random() * learners)}`);
    let t = performance.now();
    const stored = await storage.read<ReturnType<typeof learner>>(key);
    await storage.write(key, { ...stored!.value, updatedAt: new Date().toISOString() }, { ifMatch: stored!.etag });
    await storage.write(`convref:${key}`, { serviceUrl: 'https://example.org', at: Date.now() });
    existing.push(performance.now() - t);

    const fresh = learnerKey('msteams', `new-${learners}-${i}-${Date.now()}`);
    t = performance.now();
    await storage.read(fresh);
    await storage.write(fresh, learner(i, new Date()));
    await storage.write(`convref:${fresh}`, { serviceUrl: 'https://example.org', at: Date.now() });
    created.push(performance.now() - t);

    if (i % 10 === 0) {
      t = performance.now();
      await storage.list('reminder:', { limit: 100 });
      list.push(performance.now() - t);
    }
  }
  return { existing: median(existing) * 1000, created: median(created) * 1000, list: median(list) * 1000 };
}

async function main(): Promise<void> {
  const out = process.stdout;
  out.write(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; ${TURNS} turns per size; median µs per turn's storage work\n\n`);
  out.write('storage              learners  existing learner µs  new learner µs  list page µs\n');
  const targets: { name: string; open(): Promise<StoragePort[]>; close(): Promise<void> }[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'govai-growth-'));
  targets.push({
    name: 'SQLite',
    open: async () => [new SqliteStorage(path.join(tmp, 'bench.db'))],
    close: async () => undefined,
  });
  const url = process.env.BENCH_DATABASE_URL;
  if (url) {
    const table = `govai_bench_growth_${process.pid}`;
    targets.push({
      name: 'PostgreSQL ×2',
      open: async () => [new PostgresStorage(url, { table }), new PostgresStorage(url, { table })],
      close: async () => {
        const pool = new Pool({ connectionString: url });
        await pool.query(`DROP TABLE IF EXISTS ${table}`);
        await pool.end();
      },
    });
  }
  for (const target of targets) {
    const instances = await target.open();
    for (const s of instances) await s.open();
    let seeded = 0;
    for (const size of SIZES) {
      await seed(instances[0]!, seeded, size);
      seeded = size;
      const r = await measure(instances, size);
      out.write(`${target.name.padEnd(19)}  ${String(size).padStart(8)}  ${r.existing.toFixed(0).padStart(19)}  ${r.created.toFixed(0).padStart(14)}  ${r.list.toFixed(0).padStart(12)}\n`);
    }
    for (const s of instances) await s.close();
    await target.close();
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
