import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { Problem } from './problems';

export interface ContentFile {
  /** Path relative to the knowledge folder, e.g. "en/m1/l1.md". */
  file: string;
  /** Front matter as plain data (undefined when it could not be parsed). */
  data: unknown;
  /** Line of the YAML node at `path` (or of its nearest existing parent). */
  lineOf(path: readonly PropertyKey[]): number;
  /** Body lines after the front matter, with their 1-based line numbers. */
  body: { text: string; line: number }[];
}

const FENCE = /^---\s*$/;

/**
 * Splits a Markdown file into YAML front matter and body, keeping line numbers so every
 * problem can be reported as `file:line`.
 */
export function parseContentFile(file: string, source: string, problems: Problem[]): ContentFile {
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  const error = (line: number, message: string) => problems.push({ file, line, severity: 'error', message });
  if (!FENCE.test(lines[0] ?? '')) {
    error(1, 'missing front matter: the file must start with a line "---"');
    return { file, data: undefined, lineOf: () => 1, body: lines.map((text, i) => ({ text, line: i + 1 })) };
  }
  const end = lines.findIndex((l, i) => i > 0 && FENCE.test(l));
  if (end < 0) {
    error(1, 'front matter is not closed: add a line "---" after it');
    return { file, data: undefined, lineOf: () => 1, body: [] };
  }
  const firstLine = 2;
  const lineCounter = new LineCounter();
  const doc = parseDocument(lines.slice(1, end).join('\n'), { lineCounter, prettyErrors: false, uniqueKeys: true });
  const yamlLine = (pos: [number, number]) => lineCounter.linePos(pos[0]).line + firstLine - 1;
  for (const e of doc.errors) error(yamlLine(e.pos), `YAML: ${e.message.split('\n')[0]}`);
  for (const w of doc.warnings) problems.push({ file, line: yamlLine(w.pos), severity: 'warning', message: `YAML: ${w.message.split('\n')[0]}` });
  const data = doc.errors.length ? undefined : doc.toJS();
  return {
    file,
    data,
    lineOf: (path) => nodeLine(doc, lineCounter, path) + firstLine - 1,
    body: lines.slice(end + 1).map((text, i) => ({ text, line: end + 2 + i })),
  };
}

function nodeLine(doc: Document, lineCounter: LineCounter, path: readonly PropertyKey[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return 1;
}
