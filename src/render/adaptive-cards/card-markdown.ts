import type { CardElement } from './card-types';

/**
 * Light Markdown (the Reply contract: **bold**, _italic_, "- " lists, blank-line paragraphs)
 * as TextBlocks. Adaptive Cards render that subset natively; each paragraph becomes its own
 * block so spacing is consistent, and "* " bullets are normalised to "- " which every client knows.
 */
export function markdownBlocks(text: string, options: { subtle?: boolean } = {}): CardElement[] {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((p) => p.replace(/^\s*\* /gm, '- ').replace(/[ \t]+$/gm, '').trim())
    .filter(Boolean);
  return paragraphs.map((p) => ({ type: 'TextBlock', text: p, wrap: true, ...(options.subtle ? { isSubtle: true } : {}) }));
}

/** Plain text for `speak` and summaries: Markdown markers removed. */
export function plainText(text: string): string {
  return text
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/(^|\W)_(.+?)_(?=\W|$)/g, '$1$2')
    .replace(/\[([^\]]+)\]\([^)]+\)/g, '$1')
    .replace(/^\s*[-*] /gm, '')
    .replace(/\s+/g, ' ')
    .trim();
}
