import { TurnContext, type InvokeResponse } from 'botbuilder';
import type { Coach } from '../../../core/coach';
import type { Reply } from '../../../intents/reply';
import type { TurnResult } from '../../../core/turn';
import { directionOf, toSupportedLanguage, type Localizer, type Translate } from '../../../i18n/i18n';
import { unescapeMarkdown } from '../../../render/markdown-escapes';
import type { Language } from '../../../config/config-schema';
import type { Logger } from '../../../logging/logger';
import { ADAPTIVE_CARD_CONTENT_TYPE, replyToCard } from '../../../render/adaptive-card-renderer';
import { cardActivity } from '../adaptive-card-activity';
import { activityToTurn, scopeOf } from '../activity-to-turn';
import type { InvokeHandler } from '../bot-logic';
import type { ConversationReferenceStore } from '../conversation-references';
import type { BotFrameworkProactiveSender } from '../proactive-sender';
import { rememberCard } from './teams-deliverer';

export interface CardActionInvokeOptions {
  coach: Coach;
  localizer: Localizer;
  logger: Logger;
  references: ConversationReferenceStore;
  /** Delivers results that took longer than the budget, after the "working on it" card. */
  proactive: Pick<BotFrameworkProactiveSender, 'sendToReference'>;
  defaultLanguage: Language;
  /** Teams waits 5 s for a card action; answer well before that. */
  budgetMs?: number;
  /** Sends personal replies pressed for in a group chat or channel to the learner's own chat; returns what stays. */
  routePersonal?: (context: TurnContext, replies: Reply[]) => Promise<Reply[]>;
}

const DEFAULT_BUDGET_MS = 4000;

/**
 * `adaptiveCard/action` (Action.Execute): runs the pressed button as a turn and answers with
 * the updated card, which replaces the pressed one (an answered quiz card becomes its feedback).
 * Further replies of the turn are sent as messages. In group chats and channels the card stays
 * as it is for everyone and the replies are posted as new messages.
 */
export function createCardActionInvokeHandler(options: CardActionInvokeOptions): InvokeHandler {
  const { coach, localizer, logger, references } = options;
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;

  /** A short notice: a replacement card in a personal chat; elsewhere a message only the presser sees. */
  const noticeCard = (lang: Language, titleKey: string, textKey: string, personal: boolean, withActions = true): InvokeResponse => {
    const t = localizer.forLanguage(lang);
    if (!personal) return messageResponse(t(textKey));
    const reply: Reply = {
      intent: 'notice',
      lang,
      dir: directionOf(lang),
      title: t(titleKey),
      text: t(textKey),
      summary: t(textKey),
      actions: !withActions
        ? []
        : [...(coach.registry.get('start') ? [{ label: t('common:actions.start'), command: 'start', style: 'primary' as const }] : []), { label: t('common:actions.help'), command: 'help' }],
    };
    return cardResponse(replyToCard(reply, t, { actionMode: 'execute' }));
  };

  return async (context) => {
    const input = activityToTurn(context);
    const fallbackLang = toSupportedLanguage(context.activity.locale) ?? options.defaultLanguage;
    if (!input?.action) return noticeCard(fallbackLang, 'teams:invoke.invalidTitle', 'teams:invoke.invalid', scopeOf(context.activity) === 'personal');
    const personal = input.scope === 'personal';

    const handling = coach.handle(input);
    const result = await withinBudget(handling, budgetMs);
    if (result === 'late') {
      // Answer now; post the result as messages once the turn finishes.
      const reference = TurnContext.getConversationReference(context.activity);
      delete reference.activityId; // new messages in the conversation, not replies to the invoke
      handling
        .then((late) => (late.duplicate ? undefined : options.proactive.sendToReference(reference, late.replies)))
        .catch((err) => logger.error({ err }, 'late card action result could not be delivered'));
      return noticeCard(coach.languageFor(undefined, input.locale), 'teams:invoke.workingTitle', 'teams:invoke.working', personal, false);
    }
    if (result.duplicate) return noticeCard(result.lang, 'teams:invoke.duplicateTitle', 'teams:invoke.duplicate', personal);
    const t = localizer.forLanguage(result.lang);
    if (result.replies.some((r) => r.updatesPressedCard || r.ephemeral)) return liveCardResponse(context, result.replies, t, input, personal);
    if (!personal) {
      // In group chats and channels an updated card would change the message for everyone, and
      // replies are personal: keep the card, post the replies, and tell the presser briefly.
      const replies = options.routePersonal ? await options.routePersonal(context, result.replies) : result.replies;
      for (const reply of replies) {
        const sent = await context.sendActivity(cardActivity(reply, t, 'execute'));
        // A keyed card (a poll) can later be updated in place by a typed command (`close poll`).
        if (reply.key && sent?.id) await rememberCard(references, input.channelId, input.conversationId, reply.key, sent.id, logger);
      }
      return messageResponse(t('teams:invoke.repliedBelow'));
    }
    const [first, ...rest] = result.replies;
    if (!first) return messageResponse('');
    if (first.aside) {
      // An aside (an explanation) must not replace the lesson card and its Next button: keep the card, send the replies.
      for (const reply of result.replies) await context.sendActivity(cardActivity(reply, t, 'execute'));
      return messageResponse(t('teams:invoke.repliedBelow'));
    }

    for (const reply of rest) {
      const sent = await context.sendActivity(cardActivity(reply, t, 'execute'));
      if (reply.key && sent?.id) await rememberCard(references, input.channelId, input.conversationId, reply.key, sent.id, logger);
    }
    // The pressed card is replaced by the first reply: remember it under that reply's key.
    if (first.key && context.activity.replyToId) await rememberCard(references, input.channelId, input.conversationId, first.key, context.activity.replyToId, logger);
    return cardResponse(replyToCard(first, t, { actionMode: 'execute' }));
  };

  /**
   * A live card (a poll): the pressed message is updated in place for everyone
   * (updateActivity on the action's replyToId), notes for the presser become the invoke's
   * message, which only they see, and other replies are posted as usual.
   */
  async function liveCardResponse(context: TurnContext, replies: Reply[], t: Translate, input: { channelId: string; conversationId: string }, personal: boolean): Promise<InvokeResponse> {
    const notes: string[] = [];
    const rest: Reply[] = [];
    const pressedId = context.activity.replyToId;
    for (const reply of replies) {
      if (reply.ephemeral) {
        notes.push(unescapeMarkdown(reply.text ?? reply.summary));
        continue;
      }
      if (reply.updatesPressedCard && pressedId) {
        try {
          await context.updateActivity({ ...cardActivity(reply, t, 'execute'), id: pressedId });
          if (reply.key) await rememberCard(references, input.channelId, input.conversationId, reply.key, pressedId, logger);
          continue;
        } catch (err) {
          // The message may be gone or too old to edit: posting the card is still correct.
          logger.warn({ err }, 'could not update the pressed card; sending instead');
        }
      }
      rest.push(reply);
    }
    const stays = !personal && options.routePersonal ? await options.routePersonal(context, rest) : rest;
    for (const reply of stays) await context.sendActivity(cardActivity(reply, t, 'execute'));
    return messageResponse(notes.join('\n') || (stays.length ? t('teams:invoke.repliedBelow') : ''));
  }
}

/** Teams shows the text briefly to the person who pressed the button and leaves the card as it was. */
function messageResponse(text: string): InvokeResponse {
  return { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text } };
}

function cardResponse(card: unknown): InvokeResponse {
  return { status: 200, body: { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: card } };
}

function withinBudget(work: Promise<TurnResult>, ms: number): Promise<TurnResult | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
    timer.unref();
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
