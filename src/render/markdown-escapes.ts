/**
 * The Reply contract's backslash escapes (see core/markdown-literal.ts), for renderers: an
 * escaped character is parked on a private-use code point while Markdown is converted, so no
 * conversion can treat it as syntax, and is then written literally for the target format.
 */
const PARK_BASE = 0xe000;
const ESCAPE = /\\([\\`*_[\]()<>#~|!+\-.])/g;
const PARKED = /[\ue000-\ue07f]/g;

export function parkEscapes(markdown: string): string {
  return markdown.replace(ESCAPE, (_m, c: string) => String.fromCharCode(PARK_BASE + c.charCodeAt(0)));
}

/** Puts parked characters back, each written by `write` (default: the bare character). */
export function restoreEscapes(text: string, write: (c: string) => string = (c) => c): string {
  return text.replace(PARKED, (p) => write(String.fromCharCode(p.charCodeAt(0) - PARK_BASE)));
}

/** The text with escapes resolved to bare characters: for plain-text fields (speak, summaries). */
export function unescapeMarkdown(markdown: string): string {
  return restoreEscapes(parkEscapes(markdown));
}
