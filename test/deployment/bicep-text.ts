/**
 * Just enough of Bicep to check a template offline (no Bicep compiler is available from the
 * registries this project installs from): comments stripped, resources with their bodies
 * found by bracket matching that skips strings, parameters with their decorators.
 */
export interface BicepResource {
  symbol: string;
  type: string;
  condition?: string;
  body: string;
}

export function stripComments(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "'") {
      const end = stringEnd(source, i);
      out += source.slice(i, end + 1);
      i = end;
    } else if (source.startsWith('//', i)) {
      while (i < source.length && source[i] !== '\n') i++;
      out += '\n';
    } else if (source.startsWith('/*', i)) {
      i = source.indexOf('*/', i) + 1;
    } else out += c;
  }
  return out;
}

/** Index of the quote closing the string opening at `start` (\' escapes a quote; ${...} may hold strings of its own). */
function stringEnd(source: string, start: number): number {
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === "'") return i;
    else if (source.startsWith('${', i)) i = interpolationEnd(source, i + 1);
  }
  throw new Error(`unterminated string at ${start}`);
}

function interpolationEnd(source: string, open: number): number {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    if (source[i] === "'") i = stringEnd(source, i);
    else if (source[i] === '{') depth++;
    else if (source[i] === '}' && --depth === 0) return i;
  }
  throw new Error(`unterminated interpolation at ${open}`);
}

/** The text between the bracket at `open` and its match, strings skipped. */
export function balanced(source: string, open: number): string {
  const pairs: Record<string, string> = { '{': '}', '[': ']', '(': ')' };
  const stack: string[] = [];
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === "'") i = stringEnd(source, i);
    else if (pairs[c]) stack.push(pairs[c]);
    else if (c === '}' || c === ']' || c === ')') {
      if (stack.pop() !== c) throw new Error(`unbalanced "${c}" at ${i}`);
      if (!stack.length) return source.slice(open, i + 1);
    }
  }
  throw new Error(`no closing bracket for the one at ${open}`);
}

export function resources(source: string): BicepResource[] {
  const found: BicepResource[] = [];
  const header = /^resource\s+(\w+)\s+'([^'@]+)@[^']+'\s*=\s*(?:if\s*\(([^)]*)\)\s*)?\{/gm;
  for (let m = header.exec(source); m; m = header.exec(source)) {
    found.push({ symbol: m[1], type: m[2], condition: m[3], body: balanced(source, m.index + m[0].length - 1) });
  }
  return found;
}

export function secureParams(source: string): string[] {
  return [...source.matchAll(/@secure\(\)\s*(?:@[^\n]*\s*)*param\s+(\w+)/g)].map((m) => m[1]);
}

/** The array after `key:` in `body` (the first one), as its items' text. */
export function arrayItems(body: string, key: string): string[] {
  const at = new RegExp(`\\b${key}:\\s*\\[`).exec(body);
  if (!at) return [];
  const inner = balanced(body, at.index + at[0].length - 1).slice(1, -1);
  const items: string[] = [];
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === '{') {
      const item = balanced(inner, i);
      items.push(item);
      i += item.length - 1;
    }
  }
  return items;
}

/** `name: 'X'` → X (a string literal property of an object literal). */
export function stringProperty(item: string, key: string): string | undefined {
  return new RegExp(`\\b${key}:\\s*'([^']*)'`).exec(item)?.[1];
}
