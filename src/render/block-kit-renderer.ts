import type { Translate } from '../i18n/i18n';
import type { Action, Reply, ReplyChoices, ReplyItem, ReplyTextInput } from '../intents/reply';
import { ACTION_ID_PREFIX, CHOICE_ACTION_ID_PREFIX, SUBMIT_ACTION_ID, TEXT_INPUT_ACTION_ID, TEXT_SUBMIT_ACTION_ID, encodeActionValue } from './block-kit/action-value';
import { inReadingOrder } from './rtl-reading-order';
import { needsOptionList, optionName, shortOptionLabel } from './choice-labels';
import { splitText, toMrkdwn, truncate, escapeSlack, plainSlackText } from './block-kit/mrkdwn';
import { SLACK_LIMITS, type ActionsBlock, type Block, type BlockKitMessage, type ButtonElement, type CheckboxesElement, type SectionBlock } from './block-kit/types';

export interface BlockKitOptions {
  /** 50 for messages (default), 100 for App Home views. */
  maxBlocks?: number;
}

/**
 * Reply → Block Kit message within Slack's limits. Interactive parts (choices, buttons) are
 * always kept; when the reply is too large, items are listed compactly and then the body
 * text is shortened with a note, never the buttons.
 */
export function renderBlockKit(original: Reply, t: Translate, options: BlockKitOptions = {}): BlockKitMessage {
  const reply = inReadingOrder(original);
  const maxBlocks = options.maxBlocks ?? SLACK_LIMITS.messageBlocks;
  const ids = new ActionIds();

  const head: Block[] = [];
  if (reply.title) head.push({ type: 'header', text: plain(truncate(plainSlackText(reply.title), SLACK_LIMITS.headerText)) });
  if (reply.position) head.push(context(toMrkdwn(reply.position)));

  const body = reply.text ? sections(toMrkdwn(reply.text)) : [];

  const details: Block[] = [];
  if (reply.progress) details.push(context(`${escapeSlack(reply.progress.label)}: ${progressBar(reply.progress.done, reply.progress.total)} ${reply.progress.done}/${reply.progress.total}`));
  for (let i = 0; i < (reply.facts?.length ?? 0); i += SLACK_LIMITS.sectionFields) {
    const fields = reply.facts!.slice(i, i + SLACK_LIMITS.sectionFields).map((f) => ({
      type: 'mrkdwn' as const,
      text: truncate(`*${escapeSlack(f.label)}*\n${toMrkdwn(f.value)}`, SLACK_LIMITS.fieldText),
    }));
    details.push({ type: 'section', fields });
  }

  // Choices, buttons and links are always shown; the block budget below is what remains.
  const choices = [...(reply.choices ? choiceBlocks(reply.choices, t, ids) : []), ...(reply.textInput ? textInputBlocks(reply.textInput, ids) : [])];
  const actions = reply.actions?.length ? buttonRows(reply.actions.map((a) => button(a, ids))) : [];
  const attachments = reply.attachments?.length ? sections(reply.attachments.map((a) => `<${escapeSlack(a.url)}|${escapeSlack(a.name).replace(/\|/g, '¦')}>`).join('\n')) : [];
  const tail = [...choices, ...actions, ...attachments];

  const fixed = head.length + details.length + tail.length;
  let items = reply.items?.length ? fullItems(reply.items, ids.fork()) : [];
  if (fixed + body.length + items.length > maxBlocks && reply.items?.length) items = compactItems(reply.items, ids.fork());

  let text: Block[] = body;
  const room = maxBlocks - fixed - items.length;
  if (text.length > room) {
    const keep = Math.max(0, room - 1);
    text = [...body.slice(0, keep), context(escapeSlack(t('slack:text.truncated')))];
  }
  const blocks = [...head, ...text, ...details, ...items, ...tail].slice(0, maxBlocks);
  return { text: escapeSlack(plainSlackText(reply.summary)), blocks };
}

/** Unique action ids within one message: govai-1, govai-2, ... (item buttons use a separate range). */
class ActionIds {
  constructor(
    private prefix = ACTION_ID_PREFIX,
    private n = 0,
  ) {}
  next(): string {
    return `${this.prefix}-${++this.n}`;
  }
  fork(): ActionIds {
    return new ActionIds(`${ACTION_ID_PREFIX}-item`);
  }
}

function plain(text: string): { type: 'plain_text'; text: string; emoji: true } {
  return { type: 'plain_text', text, emoji: true };
}

function context(text: string): Block {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionText) }] };
}

function sections(mrkdwn: string): SectionBlock[] {
  return splitText(mrkdwn, SLACK_LIMITS.sectionText).map((chunk) => ({ type: 'section', text: { type: 'mrkdwn', text: chunk } }));
}

function button(action: Action, ids: ActionIds, label = action.label): ButtonElement {
  const el: ButtonElement = {
    type: 'button',
    action_id: ids.next(),
    text: plain(truncate(label, SLACK_LIMITS.buttonText)),
    value: encodeActionValue(action),
  };
  if (action.style === 'primary') el.style = 'primary';
  return el;
}

function buttonRows(elements: (ButtonElement | CheckboxesElement)[]): ActionsBlock[] {
  const rows: ActionsBlock[] = [];
  for (let i = 0; i < elements.length; i += SLACK_LIMITS.actionsElements) {
    rows.push({ type: 'actions', elements: elements.slice(i, i + SLACK_LIMITS.actionsElements) });
  }
  return rows;
}

function choiceBlocks(choices: ReplyChoices, t: Translate, ids: ActionIds): Block[] {
  const blocks: Block[] = [];
  // Slack does not wrap buttons or checkbox labels: long options are listed in full, controls carry the letter and first words.
  if (needsOptionList(choices)) blocks.push(...sections(choices.options.map((o, i) => `*${escapeSlack(optionName(o, i))}.* ${toMrkdwn(o.label)}`).join('\n')));

  if (choices.selection === 'single') {
    const buttons = choices.options.map((o, i) => button({ label: o.label, command: choices.command, args: { ...choices.args, answer: o.id } }, ids, shortOptionLabel(o, i)));
    return [...blocks, ...buttonRows(buttons)];
  }

  blocks.push(context(escapeSlack(choices.inputLabel ?? t('slack:choices.selectAll'))));
  const selected = new Set(choices.selected ?? []);
  const groups: CheckboxesElement[] = [];
  for (let i = 0; i < choices.options.length; i += SLACK_LIMITS.checkboxOptions) {
    const options = choices.options.slice(i, i + SLACK_LIMITS.checkboxOptions).map((o, j) => ({
      text: plain(truncate(shortOptionLabel(o, i + j), SLACK_LIMITS.optionText)),
      value: truncate(o.id, SLACK_LIMITS.optionValue),
    }));
    const ticked = options.filter((o) => selected.has(o.value));
    groups.push({ type: 'checkboxes', action_id: `${CHOICE_ACTION_ID_PREFIX}-${groups.length + 1}`, options, ...(ticked.length ? { initial_options: ticked } : {}) });
  }
  const submit = button({ label: choices.submitLabel ?? t('slack:choices.submit'), command: choices.command, args: choices.args, style: 'primary' }, ids);
  submit.action_id = SUBMIT_ACTION_ID;
  return [...blocks, ...buttonRows([...groups, submit])];
}

/** The box (an input block) and the button that sends it; the typed value is read from state.values (slack-action-payload.ts). */
function textInputBlocks(input: ReplyTextInput, ids: ActionIds): Block[] {
  const send = button({ ...input.submit, style: input.submit.style ?? 'primary' }, ids);
  send.action_id = TEXT_SUBMIT_ACTION_ID;
  return [
    {
      type: 'input',
      block_id: TEXT_INPUT_ACTION_ID,
      label: plain(truncate(plainSlackText(input.label), SLACK_LIMITS.inputLabel)),
      element: {
        type: 'plain_text_input',
        action_id: TEXT_INPUT_ACTION_ID,
        multiline: input.multiline ?? false,
        max_length: Math.min(input.maxLength, SLACK_LIMITS.plainTextInputMaxLength),
        ...(input.placeholder ? { placeholder: plain(truncate(input.placeholder, SLACK_LIMITS.placeholderText)) } : {}),
      },
    },
    { type: 'actions', elements: [send] },
  ];
}

function itemText(item: ReplyItem): string {
  const title = `*${toMrkdwn(item.title)}*${item.badge ? `  ·  ${escapeSlack(item.badge)}` : ''}`;
  return item.text ? `${title}\n${toMrkdwn(item.text)}` : title;
}

/** One section per item, with its button beside it. */
function fullItems(items: ReplyItem[], ids: ActionIds): Block[] {
  return items.map((item) => {
    const block: SectionBlock = { type: 'section', text: { type: 'mrkdwn', text: truncate(itemText(item), SLACK_LIMITS.sectionText) } };
    if (item.action) block.accessory = button(item.action, ids);
    return block;
  });
}

/** Many items: one list (split into sections) followed by rows of their buttons. */
function compactItems(items: ReplyItem[], ids: ActionIds): Block[] {
  const list = sections(items.map((item) => `• ${itemText(item).replace(/\n/g, ' — ')}`).join('\n'));
  const buttons = items.filter((i) => i.action).map((i) => button(i.action!, ids));
  return [...list, ...buttonRows(buttons)];
}

function progressBar(done: number, total: number, width = 10): string {
  const filled = total > 0 ? Math.max(0, Math.min(width, Math.round((done / total) * width))) : 0;
  return `${'▰'.repeat(filled)}${'▱'.repeat(width - filled)}`;
}
