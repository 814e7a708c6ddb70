import { SingleBar, Presets } from 'cli-progress';
import { loadConfig } from '../config/config';
import { prepareQa } from '../adapters/retrieval/qa-runtime';

/**
 * `npm run index [-- --if-stale]`: builds the Q&A index (vector + lexical) from the course in every
 * language present and the reference documents, with a progress bar and a summary. With
 * --if-stale it only loads the index when it is already fresh.
 */
async function main(): Promise<number> {
  const ifStale = process.argv.includes('--if-stale');
  const config = loadConfig();
  const bar = new SingleBar({ format: 'embedding passages [{bar}] {percentage}% | {value}/{total}', hideCursor: true }, Presets.shades_classic);
  let started = false;
  const runtime = await prepareQa(config, {
    rebuild: !ifStale,
    onProgress: ({ done, total }) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
  });
  if (started) bar.stop();
  const { manifest } = runtime;
  const out = process.stdout;
  out.write(`\n${runtime.rebuilt ? 'Built' : 'Index already fresh; loaded'} ${manifest.chunkCount} passages in ${(runtime.loadMs / 1000).toFixed(1)} s → ${config.paths.index}\n`);
  out.write(`embedding: ${manifest.embeddingId}\n`);
  for (const [lang, n] of Object.entries(manifest.byLanguage)) {
    const refs = runtime.chunks.filter((c) => c.lang === lang && c.kind === 'reference').length;
    out.write(`  ${lang}: ${n} passages${refs ? ` (${refs} from reference documents)` : ''}\n`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`index failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
