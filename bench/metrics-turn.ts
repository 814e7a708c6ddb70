import { PrometheusMetrics } from '../src/adapters/metrics/prometheus-metrics';

/**
 * `npx tsc -p . && node dist/bench/metrics-turn.js`: what recording one turn costs (a counter
 * and a histogram observation with channel, kind and outcome labels), and whether heap use
 * grows with the number of turns (it should not: the label children are made once).
 */
function main(): void {
  const metrics = new PrometheusMetrics({ processMetrics: false });
  const channels = ['msteams', 'slack', 'webchat'];
  const run = (n: number) => {
    for (let i = 0; i < n; i++) metrics.turn(channels[i % 3], i % 5 ? 'message' : 'action', 'ok', 0.012 + (i % 7) / 1000);
  };
  run(100_000); // warm-up
  const heapBefore = process.memoryUsage().heapUsed;
  const n = 2_000_000;
  const t0 = performance.now();
  run(n);
  const ms = performance.now() - t0;
  global.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  console.log(`metrics.turn: ${((ms * 1e6) / n).toFixed(0)} ns per turn over ${n.toLocaleString('en')} turns`);
  console.log(`heap change: ${((heapAfter - heapBefore) / 1024).toFixed(0)} KiB${global.gc ? '' : ' (run with --expose-gc for a settled figure)'}`);
}

main();
