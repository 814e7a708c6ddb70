import type { CardElement } from './card-types';
import { parkEscapes, restoreEscapes } from '../markdown-escapes';

/**
 * Light Markdown (the Reply contract: **bold**, _italic_, "- " lists, blank-line paragraphs)
 * as TextBlocks. Adaptive Cards render that subset natively; each paragraph becomes its own
 * block so spacing is consistent, and "* " bullets are normalised to "- " which every client knows.
 */
export function markdownBlocks(text: string, options: { subtle?: boolean } = {}): CardElement[] {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((p) =>
      p
        .replace(/^[ \t]*\* /gm, '- ')
        .replace(/(?<![ \t])[ \t]+$/gm, '')
        .trim(),
    )
    .filter(Boolean);
  return paragraphs.map((p) => ({ type: 'TextBlock', text: p, wrap: true, ...(options.subtle ? { isSubtle: true } : {}) }));
}

/** Plain text for `speak` and summaries: Markdown markers removed, escaped characters kept as typed. */
export function plainText(text: string): string {
  return restoreEscapes(
    parkEscapes(text)
      .replace(/\*\*(.+?)\*\*/g, '$1')
      .replace(/(^|[^\w])_([^_\n]+)_(?=[^\w]|$)/g, '$1$2')
      .replace(/\[([^\][]+)\]\([^()]+\)/g, '$1')
      .replace(/^[ \t]*[-*] /gm, '')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}
