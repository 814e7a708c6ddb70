import { type Activity, CardFactory } from 'botbuilder';
import { shared, type Reply } from '../../intents/reply';
import type { Translate } from '../../i18n/i18n';
import { type CardActionMode, renderAdaptiveCard } from '../../render/adaptive-card-renderer';
import type { ActivityRenderer } from './activity-renderer';

/** Activities built from shared (frozen) replies, per action mode and translation: the same reply always renders the same. */
const built = new WeakMap<Reply, { actionMode: CardActionMode; t: Translate; activity: Partial<Activity> }[]>();

/**
 * One message activity carrying the reply as an Adaptive Card (one activity per reply). A reply
 * the core shares between turns (frozen) is rendered once; its activity is frozen too, which
 * botbuilder allows: it copies each activity before adding the conversation to it.
 */
export function cardActivity(reply: Reply, t: Translate, actionMode: CardActionMode): Partial<Activity> {
  if (!Object.isFrozen(reply)) return buildCardActivity(reply, t, actionMode);
  const versions = built.get(reply) ?? [];
  const known = versions.find((v) => v.actionMode === actionMode && v.t === t);
  if (known) return known.activity;
  const activity = shared(buildCardActivity(reply, t, actionMode));
  built.set(reply, [...versions, { actionMode, t, activity }]);
  return activity;
}

function buildCardActivity(reply: Reply, t: Translate, actionMode: CardActionMode): Partial<Activity> {
  const { card, summary, locale } = renderAdaptiveCard(reply, t, actionMode);
  return { type: 'message', summary, locale, attachments: [CardFactory.adaptiveCard(card)] };
}

export function createAdaptiveCardRenderer(actionMode: CardActionMode): ActivityRenderer {
  return { render: (replies, t) => replies.map((reply) => cardActivity(reply, t, actionMode)) };
}

/** Teams: Action.Execute (universal actions) with Action.Submit fallback. */
export const teamsCardRenderer = createAdaptiveCardRenderer('execute');
/** Web Chat, Direct Line and the emulator: Action.Submit only. */
export const submitCardRenderer = createAdaptiveCardRenderer('submit');
