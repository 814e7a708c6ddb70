import fs from 'node:fs';
import path from 'node:path';

/**
 * The node flags `npm start` runs the bot with (package.json's start script: the heap cap among
 * them), so the benchmarks measure the process a deployment runs, not a differently tuned one.
 */
export function startNodeFlags(repo: string): string[] {
  // BENCH_START_FLAGS (space-separated) tries other flags without editing package.json.
  if (process.env.BENCH_START_FLAGS) return process.env.BENCH_START_FLAGS.split(/\s+/).filter(Boolean);
  const start = (JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  return start
    .split(/\s+/)
    .slice(1)
    .filter((token) => token.startsWith('--'));
}
