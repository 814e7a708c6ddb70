import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { DiscussionThreads } from '../../../core/facilitation/threads/discussion-threads';
import type { Logger } from '../../../logging/logger';
import { describeSchemaProblems } from '../../http/schema-problems';
import { learnerUserIdOf, mentionsBot, scopeOf, tenantOf, threadRootOf } from '../activity-to-turn';

/**
 * Teams sends an edit as `messageUpdate` (channelData.eventType "editMessage") and a deletion as
 * `messageDelete` ("softDeleteMessage"); both name the message by its activity id.
 */
const changeSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('messageUpdate'),
      id: z.string().min(1).max(512),
      text: z.string().default(''),
      channelData: z.object({ eventType: z.enum(['editMessage', 'undeleteMessage']) }).passthrough(),
    })
    .passthrough(),
  z
    .object({
      type: z.literal('messageDelete'),
      id: z.string().min(1).max(512),
      channelData: z.object({ eventType: z.literal('softDeleteMessage') }).passthrough(),
    })
    .passthrough(),
]);

/**
 * Chats have no reply chains: a reply there quotes the message, and Teams names the quoted one in a
 * `quotedReply` entity (the text carries a `<quoted messageId="…"/>` placeholder) rather than in replyToId.
 */
const quotedReplySchema = z.object({ type: z.literal('quotedReply'), quotedReply: z.object({ messageId: z.string().min(1).max(512) }).passthrough() }).passthrough();

function quotedMessageIdOf(entities: unknown[] | undefined): string | undefined {
  for (const entity of entities ?? []) {
    const parsed = quotedReplySchema.safeParse(entity);
    if (parsed.success) return parsed.data.quotedReply.messageId;
  }
  return undefined;
}

/** Teams message text is HTML in channels: tags become spaces, the few entities Teams uses are decoded. */
export function plainTeamsText(text: string): string {
  return text
    .replace(/<[^<>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * With resource-specific consent Teams delivers every channel and group-chat message, not only
 * @mentions. This decides what the bot does with those it was not asked: a reply in the thread of
 * a discussion prompt it follows is recorded (and edits and deletions applied); anything else is
 * dropped before the coach, the conversation references or the logs of message text see it.
 * Returns true when it took the activity (nothing more is done with it).
 */
export function createTeamsThreadIntake(threads: DiscussionThreads, logger: Logger): (context: TurnContext) => Promise<boolean> {
  return async (context) => {
    const activity = context.activity;
    if (activity.channelId !== 'msteams' || scopeOf(activity) === 'personal') return false;
    const base = {
      channelId: activity.channelId,
      conversationId: activity.conversation.id,
      rootId: threadRootOf(activity.conversation.id),
      replyToId: activity.replyToId || quotedMessageIdOf(activity.entities),
      tenantId: tenantOf(activity),
      at: activity.timestamp ? new Date(activity.timestamp) : new Date(),
    };
    if (activity.type === 'message') {
      // Asked (@mention) or a card button: the coach answers, as before.
      if (activity.value !== undefined || mentionsBot(activity)) return false;
      if (!activity.id) return true;
      const outcome = await threads.received({ ...base, messageId: activity.id, userId: learnerUserIdOf(activity), text: plainTeamsText(activity.text ?? '') });
      logger.debug({ outcome }, 'channel message without a mention');
      return true;
    }
    if (activity.type !== 'messageUpdate' && activity.type !== 'messageDelete') return false;
    const parsed = changeSchema.safeParse(activity);
    if (!parsed.success) {
      logger.info({ problems: describeSchemaProblems(parsed.error, 'activity') }, 'Teams message change ignored: unexpected shape');
      return true;
    }
    const change = parsed.data;
    if (change.type === 'messageDelete') await threads.deleted({ ...base, messageId: change.id });
    else if (change.channelData.eventType === 'editMessage') await threads.edited({ ...base, messageId: change.id, userId: learnerUserIdOf(activity), text: plainTeamsText(change.text) });
    return true;
  };
}
