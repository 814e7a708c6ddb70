import { parkEscapes, restoreEscapes } from '../../render/markdown-escapes';

/**
 * Light Markdown (the text renderer's **bold** and _italic_) for a terminal: ANSI styles on
 * an interactive terminal, plain words when output is piped so that nothing shows markup.
 */
export function formatForTerminal(markdown: string, color: boolean): string {
  const bold = (s: string) => (color ? `\u001b[1m${s}\u001b[22m` : s);
  const italic = (s: string) => (color ? `\u001b[3m${s}\u001b[23m` : s);
  const styled = parkEscapes(markdown)
    .replace(/\*\*([^*\n]+)\*\*/g, (_m, inner: string) => bold(inner))
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,;:!?])/gm, (_m, before: string, inner: string) => `${before}${italic(inner)}`);
  return restoreEscapes(styled);
}
