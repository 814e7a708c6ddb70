import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../support/app-harness';
import { sourceFiles } from './source-files';

/**
 * House rule: every restify route's handler is wrapped by guardedRoute
 * (src/channels/http/guarded-route.ts), so every route answers errors the same way: its
 * HttpError with status and code, anything else a logged 500 without internal text.
 */
const METHODS = new Set(['get', 'post', 'put', 'patch', 'del', 'head', 'opts']);

function unguardedRoutes(source: ts.SourceFile): string[] {
  const declarations = new Map<string, ts.Expression>();
  const collect = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) declarations.set(node.name.text, node.initializer);
    ts.forEachChild(node, collect);
  };
  collect(source);
  /** A guardedRoute(...) call, a local helper returning one, or a name bound to either. */
  const guarded = (expr: ts.Expression, depth = 0): boolean => {
    if (depth > 5) return false;
    if (ts.isCallExpression(expr) && ts.isIdentifier(expr.expression)) {
      if (expr.expression.text === 'guardedRoute') return true;
      const helper = declarations.get(expr.expression.text);
      return helper !== undefined && ts.isArrowFunction(helper) && !ts.isBlock(helper.body) && guarded(helper.body, depth + 1);
    }
    if (ts.isIdentifier(expr)) {
      const bound = declarations.get(expr.text);
      return bound !== undefined && guarded(bound, depth + 1);
    }
    return false;
  };
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && METHODS.has(node.expression.name.text)) {
      const target = node.expression.expression;
      const isServer = (ts.isIdentifier(target) && target.text === 'server') || (ts.isPropertyAccessExpression(target) && target.name.text === 'server');
      const [route, handler] = [node.arguments[0], node.arguments[node.arguments.length - 1]];
      if (isServer && route && handler && node.arguments.length >= 2 && !guarded(handler)) {
        found.push(`${path.relative(REPO_ROOT, source.fileName)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${route.getText()}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('restify routes', () => {
  it('are all wrapped by guardedRoute', () => {
    const files = sourceFiles(path.join(REPO_ROOT, 'src'), (name) => name.endsWith('.ts'));
    const sources = files.map((file) => ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true));
    const routes = sources.flatMap((source) => source.text.match(/server\.(get|post)\(/g) ?? []);
    expect(routes.length).toBeGreaterThan(10);
    expect(sources.flatMap(unguardedRoutes)).toEqual([]);
  });

  it('finds a route that handles its own errors (the check itself works)', () => {
    const text = [
      "server.get('/ok', guardedRoute(options, async () => {}));",
      'const route = (h) => guardedRoute(options, h);',
      "server.post('/also-ok', route(async () => {}));",
      "server.get('/raw', async (_req, res) => { res.end(); });",
    ].join('\n');
    const source = ts.createSourceFile(path.join(REPO_ROOT, 'src', 'fixture.ts'), text, ts.ScriptTarget.Latest, true);
    expect(unguardedRoutes(source)).toEqual(["src/fixture.ts:4: '/raw'"]);
  });
});
