import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { CodedError } from '../../src/errors/coded-error';
import { ERROR_CODES, type ErrorCodeInfo } from '../../src/errors/error-codes';
import { StorageConflictError } from '../../src/ports/storage';
import { REPO_ROOT } from '../support/app-harness';
import { sourceFiles } from './source-files';

/**
 * House rule: every error src/ throws is a CodedError (src/errors/coded-error.ts) with a code
 * from the one registry (src/errors/error-codes.ts), so logs, HTTP answers and callers can rely
 * on `code`. Checked on the TypeScript syntax tree: no `new Error(...)` or `Error(...)`, no class
 * extending Error outside src/errors, every code literal given to a coded error registered, an
 * HttpError's status the one the registry gives its code, and no registered code left unused.
 */
const SRC = path.join(REPO_ROOT, 'src');
const REGISTRY = path.join(SRC, 'errors', 'error-codes.ts');
const CODE_SHAPE = /^[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*$/;
const registered = new Map<string, ErrorCodeInfo>(Object.entries(ERROR_CODES));

function parse(file: string, text = fs.readFileSync(file, 'utf8')): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
}

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  ts.forEachChild(node, (child) => walk(child, visit));
}

interface ClassInfo {
  parent?: string;
  /** Position of the constructor parameter named `code`, if the class declares a constructor. */
  codeAt?: number | null;
}

/** Every class declared in the given files: what it extends and where its constructor takes a code. */
function classes(sources: ts.SourceFile[]): Map<string, ClassInfo> {
  const found = new Map<string, ClassInfo>([['CodedError', { codeAt: 0 }]]);
  for (const source of sources) {
    walk(source, (node) => {
      if (!ts.isClassDeclaration(node) || !node.name || node.name.text === 'CodedError') return;
      const base = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
      const ctor = node.members.find(ts.isConstructorDeclaration);
      const codeAt = ctor ? ctor.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === 'code') : undefined;
      found.set(node.name.text, { parent: base && ts.isIdentifier(base) ? base.text : undefined, codeAt: codeAt === -1 ? null : codeAt });
    });
  }
  return found;
}

/** Coded classes → the argument position of their code (null: the class sets its own code). */
function codedClasses(found: Map<string, ClassInfo>): Map<string, number | null> {
  const coded = new Map<string, number | null>();
  const resolve = (name: string, depth = 0): { coded: boolean; codeAt: number | null } => {
    const info = found.get(name);
    if (name === 'CodedError') return { coded: true, codeAt: 0 };
    if (!info?.parent || depth > 20) return { coded: false, codeAt: null };
    const up = resolve(info.parent, depth + 1);
    return { coded: up.coded, codeAt: info.codeAt === undefined ? up.codeAt : info.codeAt };
  };
  for (const name of found.keys()) {
    const r = resolve(name);
    if (r.coded) coded.set(name, r.codeAt);
  }
  return coded;
}

function errorFindings(sources: ts.SourceFile[]): string[] {
  const coded = codedClasses(classes(sources));
  const findings: string[] = [];
  for (const source of sources) {
    const where = (node: ts.Node) => `${path.relative(REPO_ROOT, source.fileName)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const checkCode = (node: ts.Node, arg: ts.Expression | undefined) => {
      if (arg && ts.isStringLiteralLike(arg) && CODE_SHAPE.test(arg.text) && !registered.has(arg.text)) findings.push(`${where(node)}: code "${arg.text}" is not in src/errors/error-codes.ts`);
    };
    walk(source, (node) => {
      if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression)) {
        const name = node.expression.text;
        const args = node.arguments ?? ts.factory.createNodeArray();
        if (name === 'Error') findings.push(`${where(node)}: a bare Error; throw a CodedError (or a named subclass) with a registered code`);
        const codeAt = coded.get(name);
        if (ts.isNewExpression(node) && codeAt != null) checkCode(node, args[codeAt]);
        if (ts.isNewExpression(node) && coded.has(name)) {
          const [status, code] = args;
          if (name === 'HttpError' && status && code && ts.isNumericLiteral(status) && ts.isStringLiteralLike(code)) {
            const expected = registered.get(code.text)?.status;
            if (expected !== undefined && expected !== Number(status.text)) findings.push(`${where(node)}: HttpError ${status.text} with "${code.text}", which the registry answers with ${expected}`);
          }
        }
      }
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) {
        const owner = ts.findAncestor(node, ts.isClassDeclaration);
        // A subclass that sets its own code passes it to CodedError's constructor first.
        if (owner?.name && coded.has(owner.name.text)) checkCode(node, node.arguments[0]);
      }
      if (ts.isClassDeclaration(node) && node.name?.text !== 'CodedError') {
        const base = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
        if (base && ts.isIdentifier(base) && base.text === 'Error') findings.push(`${where(node)}: class ${node.name?.text ?? ''} extends Error; extend CodedError`);
      }
    });
  }
  return findings;
}

describe('errors in src/', () => {
  // Browser code (src/channels/webchat/public/*.js) is not TypeScript and throws nothing of ours.
  const files = sourceFiles(SRC, (name) => name.endsWith('.ts'));
  const sources = files.map((file) => parse(file));

  it('are all coded, with registered codes', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(errorFindings(sources)).toEqual([]);
  });

  it('registers no code that nothing uses', () => {
    const text = files
      .filter((file) => file !== REGISTRY)
      .map((file) => fs.readFileSync(file, 'utf8'))
      .join('\n');
    const unused = [...registered.keys()].filter((code) => !text.includes(`'${code}'`));
    expect(unused).toEqual([]);
  });

  it('keeps instanceof working and names the subclass', () => {
    const err = new StorageConflictError('learner:1');
    expect(err).toBeInstanceOf(CodedError);
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('storage_conflict');
    expect(err.name).toBe('StorageConflictError');
  });

  it('catches a bare Error, an unregistered code, a wrong status and a class extending Error (the check itself works)', () => {
    const fixture = parse(
      path.join(SRC, 'fixture.ts'),
      [
        'class HttpError extends CodedError { constructor(status: number, code: string, message: string) { super(code, message); } }',
        'class OwnError extends Error {}',
        "throw new Error('plain');",
        "throw new CodedError('no_such_code', 'a message');",
        "throw new HttpError(404, 'internal_error', 'wrong status');",
        "throw new CodedError('storage_conflict', 'fine');",
      ].join('\n'),
    );
    expect(errorFindings([fixture])).toEqual([
      'src/fixture.ts:2: class OwnError extends Error; extend CodedError',
      'src/fixture.ts:3: a bare Error; throw a CodedError (or a named subclass) with a registered code',
      'src/fixture.ts:4: code "no_such_code" is not in src/errors/error-codes.ts',
      'src/fixture.ts:5: HttpError 404 with "internal_error", which the registry answers with 500',
    ]);
  });
});
