import type { Activity } from 'botbuilder';
import type { ActivityRenderer } from '../channels/botframework/activity-renderer';
import type { Reply } from '../core/reply';
import type { Translate } from '../i18n/i18n';
import { replyToCard } from './adaptive-cards/reply-card';
import { inReadingOrder } from './rtl-reading-order';
import { ADAPTIVE_CARD_CONTENT_TYPE, type AdaptiveCard, type CardActionMode } from './adaptive-cards/card-types';

export { replyToCard, ADAPTIVE_CARD_CONTENT_TYPE };
export type { AdaptiveCard, CardActionMode };

/** One message activity carrying the reply as an Adaptive Card (one activity per reply). */
export function cardActivity(original: Reply, t: Translate, actionMode: CardActionMode): Partial<Activity> {
  const reply = inReadingOrder(original);
  return {
    type: 'message',
    // Teams shows `summary` in notifications and the chat list instead of "sent a card".
    summary: reply.summary,
    locale: reply.lang,
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: replyToCard(reply, t, { actionMode }) }],
  };
}

export function createAdaptiveCardRenderer(actionMode: CardActionMode): ActivityRenderer {
  return { render: (replies, t) => replies.map((reply) => cardActivity(reply, t, actionMode)) };
}

/** Teams: Action.Execute (universal actions) with Action.Submit fallback. */
export const teamsCardRenderer = createAdaptiveCardRenderer('execute');
/** Web Chat, Direct Line and the emulator: Action.Submit only. */
export const submitCardRenderer = createAdaptiveCardRenderer('submit');
