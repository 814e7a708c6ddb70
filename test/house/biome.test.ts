import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../support/app-harness';

/**
 * House rule: src/, test/, bench/ and scripts/ pass Biome's linter (biome.json: the recommended
 * rules, a few turned off for stated reasons in the README) and are formatted as biome.json says.
 * `npm run lint` and `npm run format` run the same tool by hand.
 */
const BIOME = path.join(REPO_ROOT, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');

function biome(args: string[], cwd = REPO_ROOT): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [BIOME, ...args, '--colors=off'], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('lint and format (Biome)', () => {
  it('finds nothing to report: no lint diagnostic (warnings included) and no file to reformat', () => {
    const { status, output } = biome(['ci', '--error-on-warnings', '--max-diagnostics=30']);
    // The whole report is the failure message: it names each file, rule and line.
    expect(status === 0 ? 'clean' : output).toBe('clean');
  });

  it('reports a lint error in a source file (the check itself works)', () => {
    // A copy of the project's configuration over one small file, so the check runs as it does on src/.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'biome-house-'));
    fs.copyFileSync(path.join(REPO_ROOT, 'biome.json'), path.join(dir, 'biome.json'));
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', 'example.ts'), 'export function doubled(list: number[]) {\n  return list.forEach((n) => n * 2);\n}\n');
    const { status, output } = biome(['ci', '--error-on-warnings'], dir);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(status).not.toBe(0);
    expect(output).toContain('lint/suspicious/useIterableCallbackReturn');
  });
});
