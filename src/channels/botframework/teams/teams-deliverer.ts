import type { Activity, TurnContext } from 'botbuilder';
import type { Reply } from '../../../intents/reply';
import type { Logger } from '../../../logging/logger';
import type { ReplyDeliverer } from '../bot-logic';
import type { ConversationReferenceStore } from '../conversation-references';

/**
 * Teams delivery: a reply that `replaces` an earlier keyed card updates that message in place
 * (so an answered quiz card cannot be answered again); other replies are sent. Cards with a
 * `key` have their activity id remembered for later replacement.
 */
export function createTeamsDeliverer(references: ConversationReferenceStore, logger: Logger, onPosted?: PostedHook): ReplyDeliverer {
  return async (context, replies, activities) => {
    for (let i = 0; i < activities.length; i++) {
      await deliverOne(context, replies[i], activities[i], references, logger, onPosted);
    }
  };
}

/** Told of each reply sent as a new message, with its activity id (a discussion prompt is followed from it). */
export type PostedHook = (context: TurnContext, reply: Reply, activityId: string) => Promise<void>;

async function deliverOne(context: TurnContext, reply: Reply | undefined, activity: Partial<Activity>, references: ConversationReferenceStore, logger: Logger, onPosted?: PostedHook): Promise<void> {
  const { channelId, conversation } = context.activity;
  // A note for one person ("your vote counted: B") must not be posted where everyone reads it.
  if (reply?.ephemeral && context.activity.conversation.conversationType !== 'personal' && context.activity.conversation.conversationType !== undefined) return;
  // A live card (a poll) pressed with Action.Submit arrives as a message: update the card it was pressed on.
  const pressedId = context.activity.value !== undefined ? context.activity.replyToId : undefined;
  if (reply?.updatesPressedCard && pressedId) {
    try {
      await context.updateActivity({ ...activity, id: pressedId });
      if (reply.key) await rememberCard(references, channelId, conversation.id, reply.key, pressedId, logger);
      return;
    } catch (err) {
      logger.warn({ err }, 'could not update the pressed card; trying the remembered one');
    }
  }
  if (reply?.replaces) {
    const previousId = await references.cardActivityId(channelId, conversation.id, reply.replaces);
    if (previousId) {
      try {
        await context.updateActivity({ ...activity, id: previousId });
        return;
      } catch (err) {
        // The message may be too old or deleted: sending the reply is still correct.
        logger.warn({ err, key: reply.replaces }, 'could not update the previous card; sending instead');
      }
    }
  }
  const sent = await context.sendActivity(activity);
  if (reply?.key && sent?.id) await rememberCard(references, channelId, conversation.id, reply.key, sent.id, logger);
  if (reply && sent?.id && onPosted) await onPosted(context, reply, sent.id).catch((err) => logger.warn({ err }, 'after-post step failed'));
}

export async function rememberCard(references: ConversationReferenceStore, channelId: string, conversationId: string, key: string, activityId: string, logger: Logger): Promise<void> {
  try {
    await references.saveCardActivity(channelId, conversationId, key, activityId);
  } catch (err) {
    // Losing this only means a later reply is sent instead of updating the card.
    logger.warn({ err, key }, 'could not remember the card activity id');
  }
}
