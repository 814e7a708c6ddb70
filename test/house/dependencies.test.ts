import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../support/app-harness';
import { sourceFiles } from './source-files';

/**
 * House rule: package.json lists what the code uses, where it uses it. Every `dependencies`
 * entry is imported (or resolved) by src/, every package src/ imports is a
 * dependency (a devDependency is missing from a production install), and every devDependency
 * is used by the tests, benchmarks, scripts or tooling. Packages loaded by another package rather than
 * by our code are listed below with the reason.
 */
const LOADED_BY_ANOTHER_PACKAGE: Record<string, string> = {
  'hnswlib-node': "@langchain/community's HNSWLib imports it at run time (a peer dependency)",
  undici: "a peer of @slack/bolt's socket-mode module; legacy-peer-deps does not install peers",
};
const TOOLS: Record<string, string> = {
  typescript: 'tsc (npm run build, typecheck) and the house tests that read the syntax tree',
  jest: 'the test runner',
  'ts-jest': 'jest.config.js transform',
  '@biomejs/biome': 'npm run lint / format and test/house/biome.test.ts',
  'dependency-cruiser': 'npm run deps:check and test/house/architecture.test.ts',
};

interface Manifest {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

/** "@scope/name/sub" → "@scope/name"; "name/sub" → "name"; relative paths and node builtins → undefined. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
  return builtinModules.includes(name) ? undefined : name;
}

/** Packages a file imports, re-exports, import()s, require()s or require.resolve()s. */
function packagesIn(file: string, text = fs.readFileSync(file, 'utf8')): Set<string> {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = new Set<string>();
  const add = (node: ts.Node | undefined) => {
    if (node && ts.isStringLiteralLike(node)) {
      const name = packageOf(node.text);
      if (name) found.add(name);
    }
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal);
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      const isResolve = ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'require' && callee.name.text === 'resolve';
      if (callee.kind === ts.SyntaxKind.ImportKeyword || isRequire || isResolve) add(node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function packagesUnder(...dirs: string[]): Set<string> {
  return new Set(dirs.flatMap((dir) => sourceFiles(path.join(REPO_ROOT, dir), (name) => /\.(ts|js|cjs|mjs)$/.test(name), ['node_modules', 'public'])).flatMap((file) => [...packagesIn(file)]));
}

describe('package.json dependencies', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
  const runtime = packagesUnder('src');
  // scripts/ are development tools (build-if-changed compiles with the dev dependency typescript).
  const development = packagesUnder('test', 'bench', 'scripts');
  const configs = ['jest.config.js', '.dependency-cruiser.cjs'].map((f) => fs.readFileSync(path.join(REPO_ROOT, f), 'utf8')).join('\n');

  it('lists no runtime dependency that src/ does not use', () => {
    const unused = Object.keys(manifest.dependencies).filter((name) => !runtime.has(name) && !LOADED_BY_ANOTHER_PACKAGE[name]);
    expect(unused).toEqual([]);
  });

  it('lists every package src/ imports as a runtime dependency', () => {
    const missing = [...runtime].filter((name) => !manifest.dependencies[name]).sort();
    expect(missing).toEqual([]);
  });

  it('lists no devDependency that the tests, benchmarks or tools do not use', () => {
    const used = (name: string) => {
      if (development.has(name) || TOOLS[name] || configs.includes(`'${name}`)) return true;
      // @types/x types a package the code uses.
      const typed = name.startsWith('@types/') ? name.slice('@types/'.length) : undefined;
      return typed !== undefined && (typed === 'node' || typed === 'jest' || runtime.has(typed) || development.has(typed));
    };
    expect(Object.keys(manifest.devDependencies).filter((name) => !used(name))).toEqual([]);
  });

  it('lists every package the tests, benchmarks and scripts import', () => {
    const listed = (name: string) => manifest.dependencies[name] || manifest.devDependencies[name];
    expect([...development].filter((name) => !listed(name)).sort()).toEqual([]);
  });

  it('reads imports, requires and resolves (the check itself works)', () => {
    const text =
      "import x from '@scope/pkg/sub';\nimport type { Y } from 'typed';\nconst z = require('plain');\nrequire.resolve('fonts/package.json');\nimport('lazy');\nimport fs from 'node:fs';\nimport path from 'path';\nimport './local';\n";
    expect([...packagesIn('fixture.ts', text)].sort()).toEqual(['@scope/pkg', 'fonts', 'lazy', 'plain', 'typed']);
  });
});
