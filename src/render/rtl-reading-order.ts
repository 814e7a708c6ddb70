import type { Action, Reply } from '../intents/reply';
import { isolateLtrRuns } from '../i18n/bidi-isolate';

/**
 * A right-to-left reply with every text the learner reads bidi-isolated (Latin acronyms,
 * numbers, ids and web addresses in Arabic sentences keep their punctuation in place), for
 * every renderer: Adaptive Cards, Block Kit and plain text. Ids, commands and arguments are
 * never touched. Left-to-right replies are returned as they are.
 */
export function inReadingOrder(reply: Reply): Reply {
  if (reply.dir !== 'rtl') return reply;
  const iso = isolateLtrRuns;
  const action = (a: Action): Action => ({ ...a, label: iso(a.label) });
  return {
    ...reply,
    ...(reply.title !== undefined ? { title: iso(reply.title) } : {}),
    ...(reply.text !== undefined ? { text: iso(reply.text) } : {}),
    ...(reply.position !== undefined ? { position: iso(reply.position) } : {}),
    ...(reply.progress ? { progress: { ...reply.progress, label: iso(reply.progress.label) } } : {}),
    ...(reply.facts ? { facts: reply.facts.map((f) => ({ label: iso(f.label), value: iso(f.value) })) } : {}),
    ...(reply.items
      ? { items: reply.items.map((i) => ({ ...i, title: iso(i.title), ...(i.text !== undefined ? { text: iso(i.text) } : {}), ...(i.action ? { action: action(i.action) } : {}) })) }
      : {}),
    ...(reply.choices ? { choices: { ...reply.choices, options: reply.choices.options.map((o) => ({ ...o, label: iso(o.label) })) } } : {}),
    ...(reply.textInput ? { textInput: { ...reply.textInput, label: iso(reply.textInput.label), submit: action(reply.textInput.submit) } } : {}),
    ...(reply.actions ? { actions: reply.actions.map(action) } : {}),
    ...(reply.attachments ? { attachments: reply.attachments.map((a) => ({ ...a, name: iso(a.name) })) } : {}),
    summary: iso(reply.summary),
  };
}
