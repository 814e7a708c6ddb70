import { type Activity, CardFactory } from 'botbuilder';
import type { Reply } from '../../intents/reply';
import type { Translate } from '../../i18n/i18n';
import { type CardActionMode, renderAdaptiveCard } from '../../render/adaptive-card-renderer';
import type { ActivityRenderer } from './activity-renderer';

/** One message activity carrying the reply as an Adaptive Card (one activity per reply). */
export function cardActivity(reply: Reply, t: Translate, actionMode: CardActionMode): Partial<Activity> {
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
