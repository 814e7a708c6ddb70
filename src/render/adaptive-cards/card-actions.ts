import type { Action } from '../../intents/reply';
import type { CardAction, CardActionMode } from './card-types';

/** What a card button sends back; activity-to-turn.ts (actionFromValue) reads the same shape. */
export interface CardActionData {
  command: string;
  args: Record<string, string>;
}

export function actionData(action: Pick<Action, 'command' | 'args'>): CardActionData {
  return { command: action.command, args: { ...(action.args ?? {}) } };
}

/** A card button for a core Action, in the flavour the channel understands. */
export function cardAction(action: Action, mode: CardActionMode, extra: { tooltip?: string } = {}): CardAction {
  const data = actionData(action);
  const common = {
    title: action.label,
    ...(action.style === 'primary' ? { style: 'positive' } : {}),
    ...(extra.tooltip ? { tooltip: extra.tooltip } : {}),
  };
  const submit: CardAction = { type: 'Action.Submit', ...common, data };
  if (mode === 'submit') return submit;
  return { type: 'Action.Execute', ...common, verb: action.command, data, fallback: submit };
}
