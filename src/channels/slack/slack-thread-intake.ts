import type { DiscussionThreads } from '../../core/facilitation/threads/discussion-threads';
import type { Logger } from '../../logging/logger';
import { describeSchemaProblems } from '../http/schema-problems';
import { messageChangedEventSchema, messageDeletedEventSchema, messageEventSchema, plainTextOf } from './slack-payloads';

/** Slack ts ("1700000000.000100") as a time. */
const timeOf = (ts: string) => new Date(Math.round(Number(ts) * 1000));

/**
 * Channel and private-channel messages (message.channels, message.groups): a reply in the thread
 * of a discussion prompt the bot follows is recorded, edits (message_changed) and deletions
 * (message_deleted) are applied, and everything else is ignored. A message that @mentions the
 * bot is left to app_mention, which answers it as before.
 */
export async function takeSlackChannelMessage(threads: DiscussionThreads, event: unknown, botUserId: string | undefined, logger: Logger): Promise<void> {
  const subtype = (event as { subtype?: unknown }).subtype;
  const mentionsBot = (text: string) => Boolean(botUserId && text.includes(`<@${botUserId}`));
  const where = (channel: string, rootId: string | undefined) => ({ channelId: 'slack', conversationId: channel, rootId });
  if (subtype === 'message_changed') {
    const parsed = messageChangedEventSchema.safeParse(event);
    if (!parsed.success) return void logger.info({ problems: describeSchemaProblems(parsed.error, 'event') }, 'Slack message change ignored: unexpected shape');
    const m = parsed.data.message;
    if (m.bot_id || !m.thread_ts || m.thread_ts === m.ts || mentionsBot(m.text)) return;
    await threads.edited({ ...where(parsed.data.channel, m.thread_ts), messageId: m.ts, userId: m.user, text: plainTextOf(m.text), at: new Date() });
    return;
  }
  if (subtype === 'message_deleted') {
    const parsed = messageDeletedEventSchema.safeParse(event);
    if (!parsed.success) return void logger.info({ problems: describeSchemaProblems(parsed.error, 'event') }, 'Slack message deletion ignored: unexpected shape');
    await threads.deleted({ ...where(parsed.data.channel, parsed.data.previous_message?.thread_ts), messageId: parsed.data.deleted_ts });
    return;
  }
  // Joins, bot posts and other subtypes are not replies; a thread reply also sent to the channel still is one.
  if (subtype !== undefined && subtype !== 'thread_broadcast') return;
  const parsed = messageEventSchema.safeParse(event);
  if (!parsed.success || parsed.data.bot_id) return;
  const e = parsed.data;
  if (!e.thread_ts || e.thread_ts === e.ts || mentionsBot(e.text)) return;
  await threads.received({ ...where(e.channel, e.thread_ts), messageId: e.ts, userId: e.user, text: plainTextOf(e.text), at: timeOf(e.ts) });
}
