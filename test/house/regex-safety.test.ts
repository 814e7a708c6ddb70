import fs from 'node:fs';
import path from 'node:path';
import { checkSync } from 'recheck';
import ts from 'typescript';
import { REPO_ROOT } from '../support/app-harness';
import { sourceFiles } from './source-files';

/**
 * House rule: no regular expression in src/ can backtrack catastrophically. One such pattern
 * on the turn path let a 70-character chat message freeze the bot for every learner. Every
 * regex literal is checked with recheck (exponential and polynomial cases), and patterns built
 * at run time (`new RegExp(...)`) are refused outright: their input cannot be checked here.
 */
interface Finding {
  where: string;
  problem: string;
}

function findingsIn(file: string): Finding[] {
  const text = fs.readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const findings: Finding[] = [];
  const where = (node: ts.Node) => `${path.relative(REPO_ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node) => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const literal = node.getText();
      const end = literal.lastIndexOf('/');
      const result = checkSync(literal.slice(1, end), literal.slice(end + 1), { timeout: 10_000 });
      if (result.status !== 'safe') {
        const attack = result.status === 'vulnerable' ? ` (${result.complexity.type}; attack ${result.attack.pattern})` : ` (${result.status})`;
        findings.push({ where: where(node), problem: `${literal}${attack}` });
      }
    }
    if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
      findings.push({ where: where(node), problem: 'a pattern built at run time; match with string functions or a fixed literal instead' });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

describe('regular expressions in src/', () => {
  const files = sourceFiles(path.join(REPO_ROOT, 'src'), (name) => /\.(ts|js)$/.test(name));

  it('finds the patterns it checks', () => {
    const literals = files.reduce((n, f) => n + (fs.readFileSync(f, 'utf8').match(/\.(replace|test|match|split|exec)\(\//g)?.length ?? 0), 0);
    expect(files.length).toBeGreaterThan(50);
    expect(literals).toBeGreaterThan(50);
  });

  it('has none that can backtrack catastrophically, and builds none at run time', () => {
    const findings = files.flatMap(findingsIn);
    expect(findings.map((f) => `${f.where}: ${f.problem}`)).toEqual([]);
  });

  it('recognises a vulnerable pattern (the checker itself works)', () => {
    expect(checkSync('^\\s*\\d+(\\s*[,;\\s]\\s*\\d+)*\\s*$', '').status).toBe('vulnerable');
    expect(checkSync('^[\\d,;\\s]+$', '').status).toBe('safe');
  });
});
