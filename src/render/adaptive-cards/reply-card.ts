import type { Translate } from '../../i18n/i18n';
import { TEXT_INPUT_ARG, type Reply, type ReplyChoices, type ReplyItem, type ReplyTextInput } from '../../intents/reply';
import { namedOption, needsOptionList, shortOptionLabel } from '../choice-labels';
import { cardAction } from './card-actions';
import { markdownBlocks, plainText } from './card-markdown';
import { unescapeMarkdown } from '../markdown-escapes';
import { ADAPTIVE_CARD_SCHEMA_URL, type AdaptiveCard, type CardAction, type CardActionMode, type CardElement } from './card-types';

export interface ReplyCardOptions {
  actionMode: CardActionMode;
}

/** Teams shows at most six buttons in a card's action bar; later ones go to its overflow menu. */
const PRIMARY_ACTION_LIMIT = 6;
/** Id of the multiple-choice input; actionFromValue reads it as args.answer. */
export const ANSWER_INPUT_ID = 'answer';
const SPEAK_LIMIT = 1000;

/** One Reply (any intent) as an Adaptive Card 1.5. */
export function replyToCard(reply: Reply, t: Translate, options: ReplyCardOptions): AdaptiveCard {
  const body: CardElement[] = [];
  if (reply.title) {
    body.push({ type: 'TextBlock', text: reply.title, style: 'heading', size: 'Large', weight: 'Bolder', wrap: true, ...(reply.intent === 'error' ? { color: 'Attention' } : {}) });
  }
  if (reply.position) body.push({ type: 'TextBlock', text: reply.position, isSubtle: true, size: 'Small', wrap: true, spacing: 'None' });
  if (reply.text) body.push(...markdownBlocks(reply.text));
  if (reply.progress) body.push(...progressElements(reply.progress, t));
  if (reply.facts?.length) body.push({ type: 'FactSet', facts: reply.facts.map((f) => ({ title: f.label, value: f.value })) });
  for (const item of reply.items ?? []) body.push(itemContainer(item, options.actionMode));
  if (reply.choices) body.push(...choiceElements(reply.choices, t, options.actionMode));
  if (reply.textInput) body.push(...textInputElements(reply.textInput, options.actionMode));
  if (reply.attachments?.length) {
    body.push({
      type: 'ActionSet',
      // The name is the title ("Certificate (PDF)"); "Open …" in front read as "Open Open Badge (JSON)".
      actions: reply.attachments.map((a) => ({ type: 'Action.OpenUrl', title: a.name, url: a.url, tooltip: t('teams:card.open', { name: a.name }) })),
    });
  }
  if (!body.length) body.push({ type: 'TextBlock', text: reply.summary, wrap: true });

  const card: AdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: ADAPTIVE_CARD_SCHEMA_URL,
    version: '1.5',
    lang: reply.lang,
    fallbackText: unescapeMarkdown(reply.summary),
    body,
  };
  if (reply.dir === 'rtl') card.rtl = true;
  const speak = plainText([reply.title, reply.text].filter(Boolean).join('. '));
  if (speak) card.speak = speak.length > SPEAK_LIMIT ? `${speak.slice(0, SPEAK_LIMIT - 1)}…` : speak;
  const actions = (reply.actions ?? []).map((a, i): CardAction => ({ ...cardAction(a, options.actionMode), ...(i >= PRIMARY_ACTION_LIMIT ? { mode: 'secondary' } : {}) }));
  if (actions.length) card.actions = actions;
  return card;
}

function progressElements(progress: NonNullable<Reply['progress']>, t: Translate): CardElement[] {
  const total = Math.max(progress.total, 0);
  const done = Math.min(Math.max(progress.done, 0), total);
  const percent = total > 0 ? Math.round((done / total) * 100) : 0;
  const bar = (weight: number, style: string): CardElement => ({ type: 'Column', width: weight, style, minHeight: '8px', items: [] });
  const columns = [done > 0 ? bar(done, 'good') : undefined, total - done > 0 || total === 0 ? bar(Math.max(total - done, 1), 'emphasis') : undefined].filter(Boolean);
  return [
    { type: 'TextBlock', text: t('teams:card.progress', { label: progress.label, done, total, percent }), wrap: true, weight: 'Bolder' },
    // The bar is decoration; the line above carries the numbers for screen readers.
    { type: 'ColumnSet', columns, spacing: 'Small' } as CardElement,
  ];
}

function itemContainer(item: ReplyItem, mode: CardActionMode): CardElement {
  const headline: CardElement = { type: 'TextBlock', text: item.title, weight: 'Bolder', wrap: true };
  const top: CardElement = item.badge
    ? {
        type: 'ColumnSet',
        columns: [
          { type: 'Column', width: 'stretch', items: [headline] },
          { type: 'Column', width: 'auto', items: [{ type: 'TextBlock', text: item.badge, isSubtle: true, wrap: false }] },
        ],
      }
    : headline;
  const items: CardElement[] = [top];
  if (item.text) items.push(...markdownBlocks(item.text, { subtle: true }).map((b) => ({ ...b, spacing: 'None' })));
  if (item.action) items.push({ type: 'ActionSet', actions: [cardAction(item.action, mode)] });
  return { type: 'Container', separator: true, spacing: 'Medium', items };
}

function choiceElements(choices: ReplyChoices, t: Translate, mode: CardActionMode): CardElement[] {
  if (choices.selection === 'single') {
    // Long options are listed in full (wrapped) and their buttons carry the letter and first words.
    const listed = needsOptionList(choices);
    const list: CardElement[] = listed ? choices.options.map((option, i) => ({ type: 'TextBlock', text: namedOption(option, i), wrap: true, spacing: i === 0 ? 'Medium' : 'Small' })) : [];
    const buttons: CardElement[] = choices.options.map((option, i) => ({
      type: 'ActionSet',
      ...(i === 0 ? { spacing: 'Medium' } : { spacing: 'Small' }),
      actions: [cardAction({ label: shortOptionLabel(option, i), command: choices.command, args: { ...choices.args, answer: option.id } }, mode)],
    }));
    return [...list, ...buttons];
  }
  const submit = cardAction({ label: choices.submitLabel ?? t('teams:card.submitAnswer'), command: choices.command, args: withoutAnswer(choices.args), style: 'primary' }, mode);
  return [
    {
      // Expanded and wrapped, the choice set shows every option in full. Not required: the core
      // answers an empty submission itself, and a required input would block the hint button.
      type: 'Input.ChoiceSet',
      id: ANSWER_INPUT_ID,
      label: choices.inputLabel ?? t('teams:card.answerLabel'),
      isMultiSelect: true,
      style: 'expanded',
      wrap: true,
      choices: choices.options.map((o, i) => ({ title: namedOption(o, i), value: o.id })),
      ...(choices.selected?.length ? { value: choices.selected.join(',') } : {}),
    },
    { type: 'ActionSet', actions: [submit] },
  ];
}

/** The box and its send button; both Action.Execute and Action.Submit send the typed value as data.text (actionFromValue). */
function textInputElements(input: ReplyTextInput, mode: CardActionMode): CardElement[] {
  return [
    {
      type: 'Input.Text',
      id: TEXT_INPUT_ARG,
      label: input.label,
      isMultiline: input.multiline ?? false,
      maxLength: input.maxLength,
      ...(input.placeholder ? { placeholder: input.placeholder } : {}),
    },
    { type: 'ActionSet', actions: [cardAction({ ...input.submit, style: input.submit.style ?? 'primary' }, mode)] },
  ];
}

/** The chosen ids come from the input named "answer" (actionFromValue puts them in args.answer). */
function withoutAnswer(args: Record<string, string>): Record<string, string> {
  const { answer: _ignored, ...rest } = args;
  return rest;
}
