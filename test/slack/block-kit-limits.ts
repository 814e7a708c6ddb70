import { SLACK_LIMITS, type Block, type ButtonElement, type CheckboxesElement } from '../../src/render/block-kit/types';

/**
 * Every Slack limit documented for Block Kit (../shared/schemas/README.md and Slack's
 * reference) that a message can break; returns the violations found.
 */
export function blockKitProblems(message: { text?: string; blocks: Block[] }, maxBlocks: number = SLACK_LIMITS.messageBlocks): string[] {
  const problems: string[] = [];
  const actionIds = new Set<string>();
  if (message.text !== undefined && !message.text.trim()) problems.push('empty fallback text');
  if (message.blocks.length > maxBlocks) problems.push(`${message.blocks.length} blocks > ${maxBlocks}`);
  const checkId = (id: string) => {
    if (id.length > SLACK_LIMITS.actionId) problems.push(`action_id longer than ${SLACK_LIMITS.actionId}`);
    if (actionIds.has(id)) problems.push(`duplicate action_id ${id}`);
    actionIds.add(id);
  };
  const checkButton = (b: ButtonElement) => {
    checkId(b.action_id);
    if (!b.text.text || b.text.text.length > SLACK_LIMITS.buttonText) problems.push(`button text "${b.text.text}" has ${b.text.text.length} characters`);
    if (b.value.length > SLACK_LIMITS.buttonValue) problems.push('button value too long');
    const value = JSON.parse(b.value) as { command?: unknown };
    if (typeof value.command !== 'string') problems.push('button value without command');
  };
  const checkCheckboxes = (c: CheckboxesElement) => {
    checkId(c.action_id);
    if (!c.options.length || c.options.length > SLACK_LIMITS.checkboxOptions) problems.push(`${c.options.length} checkbox options`);
    for (const o of c.options) {
      if (!o.text.text || o.text.text.length > SLACK_LIMITS.optionText) problems.push('checkbox option text too long');
      if (o.value.length > SLACK_LIMITS.optionValue) problems.push('checkbox option value too long');
    }
  };
  for (const block of message.blocks) {
    switch (block.type) {
      case 'header':
        if (!block.text.text || block.text.text.length > SLACK_LIMITS.headerText) problems.push('header text length');
        break;
      case 'section':
        if (!block.text && !block.fields?.length) problems.push('section without text or fields');
        if (block.text && (!block.text.text || block.text.text.length > SLACK_LIMITS.sectionText)) problems.push(`section text has ${block.text.text.length} characters`);
        if ((block.fields?.length ?? 0) > SLACK_LIMITS.sectionFields) problems.push('more than 10 fields');
        for (const f of block.fields ?? []) if (!f.text || f.text.length > SLACK_LIMITS.fieldText) problems.push('field text length');
        if (block.accessory) checkButton(block.accessory);
        break;
      case 'context':
        if (!block.elements.length || block.elements.length > SLACK_LIMITS.contextElements) problems.push('context elements count');
        for (const e of block.elements) if (!e.text || e.text.length > SLACK_LIMITS.sectionText) problems.push('context text length');
        break;
      case 'actions':
        if (!block.elements.length || block.elements.length > SLACK_LIMITS.actionsElements) problems.push(`${block.elements.length} elements in an actions block`);
        for (const el of block.elements) {
          if (el.type === 'button') checkButton(el);
          else checkCheckboxes(el);
        }
        break;
      case 'input':
        checkId(block.element.action_id);
        if (!block.label.text || block.label.text.length > SLACK_LIMITS.inputLabel) problems.push('input label length');
        if ((block.element.placeholder?.text.length ?? 0) > SLACK_LIMITS.placeholderText) problems.push('input placeholder length');
        if ((block.element.max_length ?? 0) > SLACK_LIMITS.plainTextInputMaxLength) problems.push('plain_text_input max_length above 3000');
        break;
      case 'divider':
        break;
    }
  }
  return problems;
}
