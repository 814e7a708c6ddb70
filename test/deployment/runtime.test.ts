import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../support/app-harness';

const read = (file: string) => fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
const majorOf = (range: string) => Number(/\d+/.exec(range)?.[0]);

describe('supported runtimes: Node 20 and Node 24 LTS', () => {
  const pkg = JSON.parse(read('package.json')) as { engines: { node: string }; dependencies: Record<string, string> };
  const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { version: string }> };

  it('declares both runtimes in engines, and this suite runs on one of them', () => {
    const majors = pkg.engines.node.split('||').map((r) => majorOf(r.trim()));
    expect(majors).toEqual(expect.arrayContaining([20, 24]));
    expect(majors).toContain(Number(process.versions.node.split('.')[0]));
  });

  it('builds the container image on Node 24 LTS, with the Node 22+ majors swapped in', () => {
    const dockerfile = read('deployment/container/Dockerfile');
    const bases = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
    expect(bases.length).toBeGreaterThan(0);
    for (const base of bases) expect(base).toMatch(/^node:24-/);
    expect(dockerfile).toMatch(/npm ci[^\n]*\n[\s\S]*sh deployment\/runtime\/use-node22-majors\.sh/);
  });

  it("runs the suite first as `npm test` on the machine's Node, then again on Node 24 from the npm registry's node package", () => {
    const lines = read('.ci/run')
      .split('\n')
      .map((l) => l.trim());
    const test = lines.indexOf('npm test');
    expect(test).toBeGreaterThan(lines.indexOf('npm ci --no-audit --no-fund'));
    expect(lines.indexOf('bash .ci/run-node24')).toBeGreaterThan(test);
    const node24 = read('.ci/run-node24');
    expect(node24).toMatch(/npm install --prefix "\$work\/node24" [^\n]*node@24/);
    expect(node24).toMatch(/v24\.\*\)/);
    const steps = ['npm ci --no-audit --no-fund', 'sh deployment/runtime/use-node22-majors.sh', 'npm test'].map((s) => node24.indexOf(`\n${s}\n`));
    expect(steps.every((at) => at > 0)).toBe(true);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
  });

  it('swaps in only newer majors of real dependencies, each explained in the README', () => {
    const script = read('deployment/runtime/use-node22-majors.sh');
    const swaps = [...script.matchAll(/\s(@?[a-z0-9][\w./-]*)@\^(\d+)\.\d+\.\d+/g)].map((m) => ({ name: m[1], major: Number(m[2]) }));
    expect(swaps.map((s) => s.name).sort()).toEqual(['better-sqlite3', 'restify']);
    const readme = read('README.md');
    for (const { name, major } of swaps) {
      expect(pkg.dependencies[name]).toBeDefined();
      expect(major).toBeGreaterThan(majorOf(lock.packages[`node_modules/${name}`].version));
      expect(readme).toContain(`${name} ${major}`);
    }
  });
});
