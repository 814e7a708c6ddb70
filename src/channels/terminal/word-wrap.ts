/** ANSI style sequences (formatForTerminal's bold and italic) take no room on screen. */
const ANSI_STYLE = /\u001b\[[0-9;]*m/g;
/** A list bullet or a numbered choice at the start of a line: wrapped lines hang under its text. */
const LINE_PREFIX = /^ *(?:[-•] +|\d{1,3}\. +)?/;

const visibleLength = (text: string) => Array.from(text.replace(ANSI_STYLE, '')).length;

/**
 * Wraps text at word boundaries for a terminal `width` columns wide, so the terminal never has
 * to break a word at the screen edge. Continuation lines of a list item or numbered choice are
 * indented under its text. A single word longer than the width keeps a line of its own.
 */
export function wrapForTerminal(text: string, width: number | undefined): string {
  if (!width || width < 20) return text;
  return text
    .split('\n')
    .map((line) => wrapLine(line, width))
    .join('\n');
}

function wrapLine(line: string, width: number): string {
  if (visibleLength(line) <= width) return line;
  const prefix = LINE_PREFIX.exec(line.replace(ANSI_STYLE, ''))?.[0] ?? '';
  const hang = ' '.repeat(Math.min(prefix.length, Math.floor(width / 2)));
  const lines: string[] = [];
  let current = '';
  for (const word of line.split(' ')) {
    const candidate = current ? `${current} ${word}` : word;
    if (visibleLength(candidate) <= width || !current.trim()) {
      current = candidate;
      continue;
    }
    lines.push(current.trimEnd());
    current = `${hang}${word}`;
  }
  if (current) lines.push(current.trimEnd());
  return lines.join('\n');
}
