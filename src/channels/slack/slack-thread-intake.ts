import type { DiscussionThreads, ThreadMessage } from '../../core/facilitation/threads/discussion-threads';
import type { Logger } from '../../logging/logger';
import { describeSchemaProblems } from '../http/schema-problems';
import { messageChangedEventSchema, messageDeletedEventSchema, messageEventSchema, plainTextOf } from './slack-payloads';

/** Slack ts ("1700000000.000100") as a time. */
const timeOf = (ts: string) => new Date(Math.round(Number(ts) * 1000));

type ThreadChange = { kind: 'received' | 'edited'; message: ThreadMessage } | { kind: 'deleted'; message: Omit<ThreadMessage, 'userId' | 'text' | 'at'> };

/**
 * What a channel message event could change in the followed threads: a new reply in a thread, an
 * edit of one, a deletion. Undefined for everything else (top-level messages, joins, bot posts,
 * messages that @mention the bot, which app_mention answers).
 */
function threadChangeOf(event: unknown, botUserId: string | undefined, logger: Logger): ThreadChange | undefined {
  const subtype = (event as { subtype?: unknown }).subtype;
  const mentionsBot = (text: string) => Boolean(botUserId && text.includes(`<@${botUserId}`));
  const where = (channel: string, rootId: string | undefined) => ({ channelId: 'slack', conversationId: channel, rootId });
  if (subtype === 'message_changed') {
    const parsed = messageChangedEventSchema.safeParse(event);
    if (!parsed.success) return void logger.info({ problems: describeSchemaProblems(parsed.error, 'event') }, 'Slack message change ignored: unexpected shape');
    const m = parsed.data.message;
    if (m.bot_id || !m.thread_ts || m.thread_ts === m.ts || mentionsBot(m.text)) return undefined;
    return { kind: 'edited', message: { ...where(parsed.data.channel, m.thread_ts), messageId: m.ts, userId: m.user, text: plainTextOf(m.text), at: new Date() } };
  }
  if (subtype === 'message_deleted') {
    const parsed = messageDeletedEventSchema.safeParse(event);
    if (!parsed.success) return void logger.info({ problems: describeSchemaProblems(parsed.error, 'event') }, 'Slack message deletion ignored: unexpected shape');
    const previous = parsed.data.previous_message;
    // A deleted top-level message was never a reply; without previous_message the reply is looked for everywhere.
    if (previous && (!previous.thread_ts || previous.thread_ts === parsed.data.deleted_ts)) return undefined;
    return { kind: 'deleted', message: { ...where(parsed.data.channel, previous?.thread_ts), messageId: parsed.data.deleted_ts } };
  }
  // Joins, bot posts and other subtypes are not replies; a thread reply also sent to the channel still is one.
  if (subtype !== undefined && subtype !== 'thread_broadcast') return undefined;
  const parsed = messageEventSchema.safeParse(event);
  if (!parsed.success || parsed.data.bot_id) return undefined;
  const e = parsed.data;
  if (!e.thread_ts || e.thread_ts === e.ts || mentionsBot(e.text)) return undefined;
  return { kind: 'received', message: { ...where(e.channel, e.thread_ts), messageId: e.ts, userId: e.user, text: plainTextOf(e.text), at: timeOf(e.ts) } };
}

/**
 * Whether a channel message event concerns a followed discussion thread. Decided before the
 * receiver records the event's delivery receipt, so unrelated channel messages leave no trace.
 */
export async function concernsFollowedThread(threads: DiscussionThreads, event: unknown, botUserId: string | undefined, logger: Logger): Promise<boolean> {
  const change = threadChangeOf(event, botUserId, logger);
  if (!change) return false;
  if (!change.message.rootId) return true;
  return (await threads.threadOf(change.message)) !== undefined;
}

/**
 * Channel and private-channel messages (message.channels, message.groups): a reply in the thread
 * of a discussion prompt the bot follows is recorded, edits (message_changed) and deletions
 * (message_deleted) are applied, and everything else is ignored. A message that @mentions the
 * bot is left to app_mention, which answers it as before.
 */
export async function takeSlackChannelMessage(threads: DiscussionThreads, event: unknown, botUserId: string | undefined, tenantId: string | undefined, logger: Logger): Promise<void> {
  const change = threadChangeOf(event, botUserId, logger);
  if (!change) return;
  if (change.kind === 'deleted') return void (await threads.deleted(change.message));
  const message = { ...change.message, tenantId };
  const outcome = change.kind === 'edited' ? await threads.edited(message) : await threads.received(message);
  logger.debug({ outcome }, 'Slack channel message without a mention');
}
