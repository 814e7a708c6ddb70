import { z } from 'zod';
import type { TurnInput } from '../../core/turn';
import { TEXT_INPUT_ARG } from '../../intents/reply';
import { ACTION_ID_PREFIX, CHOICE_ACTION_ID_PREFIX, SUBMIT_ACTION_ID, TEXT_INPUT_ACTION_ID, TEXT_SUBMIT_ACTION_ID } from '../../render/block-kit/action-value';

/** The JSON our renderer puts in a button's value (see encodeActionValue). */
const buttonValueSchema = z.object({
  command: z.string().regex(/^[a-z][a-z0-9.-]{0,63}$/),
  args: z.record(z.string(), z.string().max(512)).optional(),
});

/** Slack's state.values; a box left empty has a null value. */
const textStateSchema = z.record(z.string(), z.record(z.string(), z.object({ value: z.string().max(4000).nullish() }).passthrough()));

export type SlackActionResult =
  | { kind: 'action'; action: NonNullable<TurnInput['action']> }
  /** The submit button of a multiple-choice question was pressed with nothing checked. */
  | { kind: 'no-selection' }
  /** Not one of our buttons (e.g. a checkbox being toggled): acknowledge and do nothing. */
  | { kind: 'ignored' };

interface SlackBlockAction {
  action_id?: unknown;
  type?: unknown;
  value?: unknown;
}

/**
 * Maps a Slack block_actions payload (native, or forwarded by Azure Bot Service) to a core
 * action. Button values are our JSON { command, args }; the submit button of a
 * multiple-choice question collects the checked option ids from the message state.
 */
export function actionFromSlackPayload(payload: unknown): SlackActionResult {
  if (!payload || typeof payload !== 'object') return { kind: 'ignored' };
  const body = payload as { actions?: unknown; state?: { values?: unknown } };
  const actions = Array.isArray(body.actions) ? (body.actions as SlackBlockAction[]) : [];
  const pressed = actions.find((a) => a.type === 'button' && typeof a.action_id === 'string' && a.action_id.startsWith(ACTION_ID_PREFIX));
  if (!pressed || typeof pressed.value !== 'string' || pressed.value.length > 2000) return { kind: 'ignored' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(pressed.value);
  } catch {
    return { kind: 'ignored' };
  }
  const value = buttonValueSchema.safeParse(parsed);
  if (!value.success) return { kind: 'ignored' };
  const action = { command: value.data.command, args: { ...(value.data.args ?? {}) } };
  if (pressed.action_id === TEXT_SUBMIT_ACTION_ID) {
    // The send button of a text box: what was typed (nothing typed is an empty string, answered by the core).
    action.args = { ...action.args, [TEXT_INPUT_ARG]: typedText(body.state?.values) };
  } else if ((pressed.action_id as string).startsWith(SUBMIT_ACTION_ID)) {
    const answers = checkedOptions(body.state?.values);
    if (!answers.length) return { kind: 'no-selection' };
    action.args = { ...action.args, answer: answers.join(',') };
  } else if (action.args.answer === undefined) {
    // Another button of a question (its hint) carries the ticked boxes too, so the question shown again keeps them.
    const ticked = checkedOptions(body.state?.values);
    if (ticked.length) action.args = { ...action.args, answer: ticked.join(',') };
  }
  return { kind: 'action', action };
}

/** Option values of our checkbox elements in `state.values` ({ blockId: { actionId: { selected_options } } }). */
function checkedOptions(values: unknown): string[] {
  const out: string[] = [];
  if (!values || typeof values !== 'object') return out;
  for (const block of Object.values(values as Record<string, unknown>)) {
    if (!block || typeof block !== 'object') continue;
    for (const [actionId, state] of Object.entries(block as Record<string, { selected_options?: { value?: unknown }[] }>)) {
      if (!actionId.startsWith(CHOICE_ACTION_ID_PREFIX) || !Array.isArray(state?.selected_options)) continue;
      for (const option of state.selected_options) if (typeof option?.value === 'string' && /^[\w.:-]{1,150}$/.test(option.value)) out.push(option.value);
    }
  }
  return [...new Set(out)];
}

/** The value of our text box in `state.values` ({ blockId: { actionId: { type: "plain_text_input", value } } }). */
function typedText(values: unknown): string {
  const state = textStateSchema.safeParse(values);
  if (!state.success) return '';
  for (const block of Object.values(state.data)) {
    const value = block[TEXT_INPUT_ACTION_ID]?.value;
    if (value) return value;
  }
  return '';
}

/**
 * Azure Bot Service forwards Slack button presses as message activities whose channelData
 * carries the Slack payload, as `SlackMessage.payload` (object or JSON string) or as
 * `SlackMessage` itself.
 */
export function slackPayloadFromChannelData(channelData: unknown): unknown {
  if (!channelData || typeof channelData !== 'object') return undefined;
  const slackMessage = (channelData as { SlackMessage?: unknown }).SlackMessage;
  if (!slackMessage || typeof slackMessage !== 'object') return undefined;
  const payload = (slackMessage as { payload?: unknown }).payload;
  if (typeof payload === 'string') {
    try {
      return JSON.parse(payload);
    } catch {
      return undefined;
    }
  }
  return payload && typeof payload === 'object' ? payload : slackMessage;
}

/** The core action of an Azure-Slack button press, if the activity is one. */
export function actionFromSlackChannelData(channelData: unknown): TurnInput['action'] | undefined {
  const result = actionFromSlackPayload(slackPayloadFromChannelData(channelData));
  return result.kind === 'action' ? result.action : undefined;
}

/**
 * Azure Bot Service identifies Slack users as "<user id>:<team id>"; the learner key uses
 * the Slack user id alone, as native Slack does, so both paths reach the same progress.
 */
export function slackUserIdOf(fromId: string): string {
  return fromId.split(':')[0] || fromId;
}
