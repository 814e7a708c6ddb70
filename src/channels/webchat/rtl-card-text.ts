import { isolateLtrRuns } from '../../i18n/bidi-isolate';
import { directionOf, toSupportedLanguage } from '../../i18n/i18n';
import type { DirectLineActivity } from './directline-conversations';

/**
 * Right-to-left replies for the browser chat: every text a learner reads (message text, card
 * text blocks, facts, button and choice titles) gets its Latin acronyms, numbers and web
 * addresses isolated, so "(AI)" or "70%" in an Arabic card keeps its punctuation in place.
 * Ids, submitted values and action data are never touched.
 */
export function isolateRtlActivity(activity: DirectLineActivity): DirectLineActivity {
  const lang = toSupportedLanguage(typeof activity.locale === 'string' ? activity.locale : undefined);
  if (!lang || directionOf(lang) !== 'rtl') return activity;
  const out: DirectLineActivity = { ...activity };
  for (const key of ['text', 'summary', 'speak'] as const) if (typeof out[key] === 'string') out[key] = isolateLtrRuns(out[key] as string);
  if (Array.isArray(activity.attachments))
    out.attachments = activity.attachments.map((a: { content?: unknown }) => (a && typeof a === 'object' && a.content ? { ...a, content: isolateCardNode(a.content) } : a));
  return out;
}

/** Keys whose strings are read by the learner, per kind of Adaptive Card node. */
function readableKeys(node: Record<string, unknown>): string[] {
  const type = typeof node.type === 'string' ? node.type : '';
  if (type === 'TextBlock' || type === 'TextRun') return ['text'];
  if (type.startsWith('Action.') || type === 'Input.Toggle') return ['title'];
  if (type === 'AdaptiveCard') return ['speak', 'fallbackText'];
  return [];
}

function isolateCardNode(node: unknown, parentKey = ''): unknown {
  if (Array.isArray(node)) return node.map((item) => isolateCardNode(item, parentKey));
  if (!node || typeof node !== 'object') return node;
  const source = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  // Facts show both their title and value; choices show their title (their value is the submitted id).
  const keys = parentKey === 'facts' ? ['title', 'value'] : parentKey === 'choices' ? ['title'] : readableKeys(source);
  for (const [key, value] of Object.entries(source)) {
    if (key === 'data') out[key] = value;
    else if (typeof value === 'string') out[key] = keys.includes(key) ? isolateLtrRuns(value) : value;
    else out[key] = isolateCardNode(value, key);
  }
  return out;
}
