/** Each shared (frozen) attachment content's JSON, written once: such a content never changes. */
const written = new WeakMap<object, string>();

/** Stands in for a shared content while the rest of the body is written; a body that happens to contain it is written whole instead. */
const PLACEHOLDER = '\u0000shared-attachment-content\u0000';
const QUOTED_PLACEHOLDER = JSON.stringify(PLACEHOLDER);

/**
 * The JSON of an invoke response body (for `expectReplies`, `{ activities }`): the same text as
 * JSON.stringify, but an attachment content the renderers share between turns (help's 11 KB
 * card, frozen) is written from the text kept for it instead of being serialised again.
 */
export function replyBodyJson(body: unknown): string {
  const contents = sharedContents(body);
  if (!contents.length) return JSON.stringify(body);
  // The replacer sees values in the order they are written, so the texts line up with the placeholders.
  const texts: string[] = [];
  const json = JSON.stringify(body, (key, value) => {
    if (key !== 'content' || !contents.includes(value)) return value;
    texts.push(textOf(value));
    return PLACEHOLDER;
  });
  const parts = json.split(QUOTED_PLACEHOLDER);
  if (parts.length !== texts.length + 1) return JSON.stringify(body);
  let out = parts[0]!;
  for (let i = 0; i < texts.length; i++) out += texts[i] + parts[i + 1];
  return out;
}

function textOf(content: object): string {
  let text = written.get(content);
  if (text === undefined) {
    text = JSON.stringify(content);
    written.set(content, text);
  }
  return text;
}

function sharedContents(body: unknown): object[] {
  const activities = (body as { activities?: unknown } | undefined)?.activities;
  if (!Array.isArray(activities)) return [];
  const out: object[] = [];
  for (const activity of activities) {
    const attachments = (activity as { attachments?: unknown } | undefined)?.attachments;
    if (!Array.isArray(attachments)) continue;
    for (const attachment of attachments) {
      const content = (attachment as { content?: unknown } | undefined)?.content;
      if (content && typeof content === 'object' && Object.isFrozen(content)) out.push(content);
    }
  }
  return out;
}
