import type { Translate } from '../i18n/i18n';
import { numberedChoices } from '../core/command-registry';
import type { Reply } from '../intents/reply';
import { inReadingOrder } from './rtl-reading-order';
import { CodedError } from '../errors/coded-error';

/**
 * Plain text for channels without cards (terminal chat, SMS-like channels, the emulator):
 * the same content with numbered choices that the learner can type.
 */
export function renderText(original: Reply, t: Translate): string {
  const reply = inReadingOrder(original);
  const parts: string[] = [];
  if (reply.title) parts.push(`**${reply.title}**`);
  if (reply.position) parts.push(`_${reply.position}_`);
  if (reply.text) parts.push(reply.text);
  if (reply.progress) parts.push(`${reply.progress.label}: ${progressBar(reply.progress.done, reply.progress.total)} ${reply.progress.done}/${reply.progress.total}`);
  if (reply.facts?.length) parts.push(reply.facts.map((f) => `${f.label}: ${f.value}`).join('\n'));

  const numbered = numberedChoices(reply);
  let n = 0;
  const itemsWithoutAction = (reply.items ?? []).filter((i) => !i.action);
  if (itemsWithoutAction.length) parts.push(itemsWithoutAction.map((i) => `- ${itemLine(i.title, i.text, i.badge)}`).join('\n'));

  if (reply.choices) {
    const header = reply.choices.selection === 'multiple' ? t('common:text.chooseMany') : t('common:text.choose');
    parts.push([header, ...reply.choices.options.map((o) => `${++n}. ${o.label}`)].join('\n'));
  }
  const linked = (reply.items ?? []).filter((i) => i.action);
  if (linked.length) parts.push(linked.map((i) => `${++n}. ${itemLine(i.title, i.text, i.badge)}`).join('\n'));
  if (reply.actions?.length) {
    const header = n > 0 ? t('common:text.more') : t('common:text.choose');
    parts.push([header, ...reply.actions.map((a) => `${++n}. ${a.label}`)].join('\n'));
  }
  for (const a of reply.attachments ?? []) parts.push(`${a.name}: ${a.url}`);
  if (n !== numbered.length) throw new CodedError('invariant_violated', 'text renderer numbering diverged from numberedChoices');
  return parts.join('\n\n');
}

function itemLine(title: string, text?: string, badge?: string): string {
  return [badge ? `[${badge}]` : '', title, text ? `: ${text}` : ''].filter(Boolean).join(' ').replace(' : ', ': ');
}

function progressBar(done: number, total: number, width = 10): string {
  const filled = total > 0 ? Math.round((done / total) * width) : 0;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}
