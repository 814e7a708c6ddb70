import { parkEscapes, restoreEscapes, unescapeMarkdown } from '../markdown-escapes';

/** Escapes the three characters Slack treats as control sequences in message text. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Our light Markdown (**bold**, _italic_, "- " lists, [label](url)) to Slack mrkdwn
 * (*bold*, _italic_, "• " lists, <url|label>).
 */
export function toMrkdwn(markdown: string): string {
  const converted = escapeSlack(parkEscapes(markdown))
    .replace(/\[([^\][\n]+)\]\((https?:\/\/[^\s()]+)\)/g, (_m, label: string, url: string) => `<${url}|${label.replace(/\|/g, '¦')}>`)
    .replace(/\*\*(.+?)\*\*/g, '*$1*')
    .replace(/^([ \t]*)- /gm, '$1• ');
  return restoreEscapes(converted, literalInMrkdwn);
}

/**
 * An escaped character written so that Slack shows it as typed: mrkdwn has no escapes, so
 * formatting marks are fenced with zero-width spaces and angle brackets become entities.
 */
function literalInMrkdwn(c: string): string {
  if (c === '<') return '&lt;';
  if (c === '>') return '&gt;';
  return '*_~`'.includes(c) ? `\u200b${c}\u200b` : c;
}

/** A plain-text Block Kit field (headers, notification text): Markdown escapes resolved. */
export function plainSlackText(markdown: string): string {
  return unescapeMarkdown(markdown);
}

/** Shortens to `max` characters with an ellipsis, without splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  let out = '';
  for (const c of chars) {
    if (out.length + c.length > max - 1) break;
    out += c;
  }
  return `${out}…`;
}

/**
 * Splits text into chunks of at most `max` characters, preferring paragraph breaks, then
 * line breaks, then spaces, so that each chunk fits one section block.
 */
export function splitText(text: string, max: number): string[] {
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = window.lastIndexOf('\n\n');
    if (cut < max / 2) cut = window.lastIndexOf('\n');
    if (cut < max / 2) cut = window.lastIndexOf(' ');
    if (cut < max / 2) cut = max;
    // Never split a surrogate pair or an escaped entity such as "&amp;".
    if (/[\uD800-\uDBFF]/.test(rest[cut - 1] ?? '')) cut--;
    const amp = window.lastIndexOf('&', cut);
    if (amp >= 0 && amp > cut - 5 && !window.slice(amp, cut).includes(';')) cut = amp;
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) chunks.push(rest);
  return chunks;
}
