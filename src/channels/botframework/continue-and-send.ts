import type { Activity, CloudAdapter, ConversationReference, ResourceResponse, TurnContext } from 'botbuilder';

export interface ContinuedSend {
  /** How many activities went out (a retry resumes after them, so none is sent twice). */
  delivered: number;
  /** The id the channel gave the first activity sent in this call (a channel post's thread root). */
  firstId?: string;
  /** The send error, if any: the adapter hands errors thrown in its callback to onTurnError and resolves, so it is kept here. */
  error?: unknown;
}

type Deliver = (context: TurnContext, activity: Partial<Activity>) => Promise<ResourceResponse | undefined>;

const send: Deliver = (context, activity) => context.sendActivity(activity);

/**
 * Sends `activities` from index `from` on into a stored conversation (continueConversationAsync),
 * one attempt; `deliver` may update a message in place instead of sending a new one.
 */
export async function continueAndSend(
  adapter: CloudAdapter,
  appId: string,
  reference: Partial<ConversationReference>,
  activities: Partial<Activity>[],
  from = 0,
  deliver: Deliver = send,
): Promise<ContinuedSend> {
  const result: ContinuedSend = { delivered: from };
  try {
    await adapter.continueConversationAsync(appId, reference, async (context) => {
      // botbuilder gives the continuation event a made-up activity id, which would make every send a
      // reply to it (on Slack through Azure, a thread reply to nothing): post to the conversation instead.
      context.activity.id = undefined;
      try {
        for (; result.delivered < activities.length; result.delivered++) {
          const sent = await deliver(context, activities[result.delivered]);
          result.firstId ??= sent?.id;
        }
      } catch (err) {
        result.error = err;
      }
    });
  } catch (err) {
    result.error = err;
  }
  return result;
}
