import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { loadConfig } from '../src/config/config';
import { collectChunks } from '../src/adapters/retrieval/course-chunks';
import { buildIndex, loadIndex, localEmbeddingChoice } from '../src/adapters/retrieval/index-store';

/**
 * `npx tsc -p . && node dist/bench/qa-index.js`: time to read the course, build the index,
 * load it again when fresh, and run hybrid and lexical queries (median of 200).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'qa-bench-')), 'index');
  const t0 = performance.now();
  const chunks = await collectChunks(config.paths.knowledge, config.paths.references);
  const t1 = performance.now();
  const embedding = localEmbeddingChoice();
  await buildIndex(dir, chunks, embedding);
  const t2 = performance.now();
  const { retriever } = await loadIndex(dir, embedding);
  const t3 = performance.now();
  const queries = ['What is X-Road?', 'When did the GDPR start to apply?', 'What are the risk tiers of the EU AI Act?', 'What is automation bias?'];
  const time = async (mode: 'hybrid' | 'lexical') => {
    const samples: number[] = [];
    for (let i = 0; i < 200; i++) {
      const s = performance.now();
      await retriever.search(queries[i % queries.length], 'en', { mode });
      samples.push(performance.now() - s);
    }
    return samples.sort((a, b) => a - b)[100];
  };
  const out = process.stdout;
  out.write(`${chunks.length} passages\nread course: ${(t1 - t0).toFixed(0)} ms\nbuild index: ${(t2 - t1).toFixed(0)} ms\nload fresh index: ${(t3 - t2).toFixed(0)} ms\n`);
  out.write(`query median: hybrid ${(await time('hybrid')).toFixed(2)} ms, lexical ${(await time('lexical')).toFixed(2)} ms\n`);
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
