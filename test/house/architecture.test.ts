import path from 'node:path';
import { REPO_ROOT } from '../support/app-harness';

/**
 * House rule: the layering the README describes (core → ports ← adapters; render and channels
 * at the edge; Bot Framework only in channels/botframework, Slack only in channels/slack; no
 * cycles, no orphans), as written in .dependency-cruiser.cjs. `npm run deps:check` runs the
 * same rules from the command line.
 */
interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

// dependency-cruiser is ESM-only; jest runs with --experimental-vm-modules, so import() loads it.
async function violations(baseDir: string, paths: string[]): Promise<string[]> {
  const { cruise } = await import('dependency-cruiser');
  const { default: extractDepcruiseOptions } = await import('dependency-cruiser/config-utl/extract-depcruise-options');
  const { default: extractTSConfig } = await import('dependency-cruiser/config-utl/extract-ts-config');
  const options = await extractDepcruiseOptions(path.join(REPO_ROOT, '.dependency-cruiser.cjs'));
  const tsConfigFile = path.join(REPO_ROOT, 'tsconfig.json');
  const result = await cruise(paths, { ...options, validate: true, baseDir, tsConfig: { fileName: tsConfigFile } }, {}, { tsConfig: extractTSConfig(tsConfigFile) });
  if (typeof result.output === 'string') throw new TypeError('dependency-cruiser returned text, not a result');
  // A package is named from node_modules/ on, wherever node_modules is (a checkout elsewhere, a symlink).
  const named = (to: string) => to.replace(/^.*?node_modules\//, 'node_modules/');
  return (result.output.summary.violations as Violation[]).map((v) => `${v.rule.name}: ${v.from} → ${named(v.to)}`).sort();
}

describe('architecture (dependency-cruiser)', () => {
  it('src/ keeps the layering', async () => {
    expect(await violations(REPO_ROOT, ['src'])).toEqual([]);
  });

  it('catches a core module that imports a channel and an SDK, and a cycle through a port (the check itself works)', async () => {
    const found = await violations(path.join(REPO_ROOT, 'test', 'fixtures', 'architecture'), ['src']);
    const sdk = 'node_modules/botbuilder/lib/index.js';
    expect(found).toEqual([
      `bot-framework-lives-in-channels-botframework: src/channels/send-card.ts → ${sdk}`,
      `bot-framework-lives-in-channels-botframework: src/core/turn-handler.ts → ${sdk}`,
      'core-is-channel-neutral: src/core/turn-handler.ts → src/channels/send-card.ts',
      `core-uses-no-sdk: src/core/turn-handler.ts → ${sdk}`,
      'no-circular: src/channels/send-card.ts → src/ports/courier.ts',
      'ports-are-interfaces: src/ports/courier.ts → src/core/turn-handler.ts',
    ]);
  });
});
