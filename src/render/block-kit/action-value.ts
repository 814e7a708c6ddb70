import type { Action } from '../../intents/reply';
import { SLACK_LIMITS } from './types';
import { CodedError } from '../../errors/coded-error';

export class BlockKitLimitError extends CodedError {
  constructor(message: string, options?: ErrorOptions) {
    super('block_kit_limit', message, options);
  }
}

/**
 * The `value` of a govai-coach button: JSON { command, args }. Slack returns it unchanged
 * when the button is pressed, natively or through Azure Bot Service.
 */
export function encodeActionValue(action: Pick<Action, 'command' | 'args'>): string {
  const value = JSON.stringify({ command: action.command, args: action.args ?? {} });
  if (value.length > SLACK_LIMITS.buttonValue) {
    throw new BlockKitLimitError(`button value for "${action.command}" is ${value.length} characters (Slack allows ${SLACK_LIMITS.buttonValue})`);
  }
  return value;
}

/** Prefix of every action_id we generate, so interaction handlers can recognise our elements. */
export const ACTION_ID_PREFIX = 'govai';
/** action_id of the button that submits the checked options of a multiple-choice question. */
export const SUBMIT_ACTION_ID = 'govai-submit';
/** Prefix of the checkbox elements of a multiple-choice question. */
export const CHOICE_ACTION_ID_PREFIX = 'govai-choice';
/** action_id of a text box, and of the button that sends what was typed in it. */
export const TEXT_INPUT_ACTION_ID = 'govai-text';
export const TEXT_SUBMIT_ACTION_ID = 'govai-text-send';
