/**
 * The Block Kit subset govai-coach sends, typed here rather than imported from @slack/types
 * so that the renderer has no dependency on a transitive package.
 */
export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}

export interface Mrkdwn {
  type: 'mrkdwn';
  text: string;
}

export interface ButtonElement {
  type: 'button';
  action_id: string;
  text: PlainText;
  value: string;
  style?: 'primary' | 'danger';
  url?: string;
}

export interface CheckboxOption {
  text: PlainText;
  value: string;
}

export interface CheckboxesElement {
  type: 'checkboxes';
  action_id: string;
  options: CheckboxOption[];
  initial_options?: CheckboxOption[];
}

export interface PlainTextInputElement {
  type: 'plain_text_input';
  action_id: string;
  multiline?: boolean;
  max_length?: number;
  placeholder?: PlainText;
}

/** A form field in a message; its value arrives in the block_actions payload's state.values when a button is pressed. */
export interface InputBlock {
  type: 'input';
  block_id?: string;
  label: PlainText;
  element: PlainTextInputElement;
}

export interface HeaderBlock {
  type: 'header';
  block_id?: string;
  text: PlainText;
}

export interface SectionBlock {
  type: 'section';
  block_id?: string;
  text?: Mrkdwn;
  fields?: Mrkdwn[];
  accessory?: ButtonElement;
}

export interface ContextBlock {
  type: 'context';
  block_id?: string;
  elements: Mrkdwn[];
}

export interface ActionsBlock {
  type: 'actions';
  block_id?: string;
  elements: (ButtonElement | CheckboxesElement)[];
}

export interface DividerBlock {
  type: 'divider';
  block_id?: string;
}

export type Block = HeaderBlock | SectionBlock | ContextBlock | ActionsBlock | DividerBlock | InputBlock;

/** A message body for chat.postMessage / chat.update, or Azure Bot Service channelData. */
export interface BlockKitMessage {
  /** Notification and screen-reader fallback (the reply summary). */
  text: string;
  blocks: Block[];
}

/** Slack's documented limits (docs.slack.dev Block Kit reference). */
export const SLACK_LIMITS = {
  messageBlocks: 50,
  homeBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  actionsElements: 25,
  checkboxOptions: 10,
  optionText: 75,
  optionValue: 150,
  inputLabel: 2000,
  placeholderText: 150,
  plainTextInputMaxLength: 3000,
} as const;
