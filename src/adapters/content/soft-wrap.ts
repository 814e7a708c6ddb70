/**
 * Course files are hard-wrapped at about 85 columns for editing; chat clients show every line
 * break, so a wrapped paragraph would come out as ragged short lines. This joins the lines of
 * each paragraph, keeping blank-line paragraph breaks, list items, headings, quotes, tables and
 * Markdown hard breaks (two trailing spaces).
 */
export function joinSoftWraps(text: string): string {
  const out: string[] = [];
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const previous = out.length ? out[out.length - 1] : undefined;
    if (previous !== undefined && continuesParagraph(previous, line)) {
      out[out.length - 1] = `${previous.trimEnd()} ${line.trim()}`;
    } else {
      out.push(line);
    }
  }
  return out.join('\n');
}

const BLOCK_START = /^\s*(?:[-*+] |\d{1,3}[.)] |#|>|\|)/;

function continuesParagraph(previous: string, line: string): boolean {
  if (!previous.trim() || !line.trim()) return false;
  if (BLOCK_START.test(line)) return false;
  if (previous.endsWith('  ')) return false;
  // A heading, table row or quote line ends where its line ends.
  return !/^\s*(?:#|\||>)/.test(previous);
}
