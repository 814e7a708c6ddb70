import type { Reply } from '../intents/reply';
import type { Translate } from '../i18n/i18n';
import { replyToCard } from './adaptive-cards/reply-card';
import { inReadingOrder } from './rtl-reading-order';
import { ADAPTIVE_CARD_CONTENT_TYPE, type AdaptiveCard, type CardActionMode } from './adaptive-cards/card-types';

export { replyToCard, ADAPTIVE_CARD_CONTENT_TYPE };
export type { AdaptiveCard, CardActionMode };

/** One reply as one Adaptive Card (plain card JSON; channels/botframework wraps it in an activity). */
export interface RenderedCard {
  card: AdaptiveCard;
  /** Teams shows it in notifications and the chat list instead of "sent a card". */
  summary: Reply['summary'];
  locale: Reply['lang'];
}

export function renderAdaptiveCard(original: Reply, t: Translate, actionMode: CardActionMode): RenderedCard {
  const reply = inReadingOrder(original);
  return { card: replyToCard(reply, t, { actionMode }), summary: reply.summary, locale: reply.lang };
}
