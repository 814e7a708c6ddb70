import { z } from 'zod';
import type { ConversationScope } from '../../core/turn';

/**
 * The fields govai-coach reads from Slack payloads. Bolt passes payloads through untyped
 * at runtime, so each listener validates what it uses; unknown fields pass through.
 */
const id = z.string().min(1).max(64);
const ts = z.string().regex(/^\d{1,12}(\.\d{1,9})?$/);

export const messageEventSchema = z
  .object({
    type: z.literal('message'),
    channel: id,
    channel_type: z.string().optional(),
    user: id,
    // No length cap here: the request size is bounded, and an over-long message is answered
    // by the coach with a message saying so rather than dropped silently.
    text: z.string().default(''),
    ts,
    thread_ts: ts.optional(),
    subtype: z.string().optional(),
    bot_id: z.string().optional(),
    /** Files shared with the message (subtype file_share); each is validated when read (slack-file-upload.ts). */
    files: z.array(z.unknown()).max(20).optional(),
  })
  .passthrough();

/** An edited message (subtype message_changed): the new version is in `message`. */
export const messageChangedEventSchema = z
  .object({
    type: z.literal('message'),
    subtype: z.literal('message_changed'),
    channel: id,
    message: z.object({ user: id, text: z.string().default(''), ts, thread_ts: ts.optional(), bot_id: z.string().optional() }).passthrough(),
  })
  .passthrough();

/** A deleted message (subtype message_deleted): its ts, and the thread it was in. */
export const messageDeletedEventSchema = z
  .object({
    type: z.literal('message'),
    subtype: z.literal('message_deleted'),
    channel: id,
    deleted_ts: ts,
    previous_message: z.object({ thread_ts: ts.optional() }).passthrough().optional(),
  })
  .passthrough();

export const appMentionEventSchema = z
  .object({ type: z.literal('app_mention'), channel: id, user: id, text: z.string().default(''), ts, thread_ts: ts.optional(), files: z.array(z.unknown()).max(20).optional() })
  .passthrough();

export const appHomeOpenedEventSchema = z.object({ type: z.literal('app_home_opened'), user: id, channel: id.optional(), tab: z.string().optional() }).passthrough();

export const blockActionsSchema = z
  .object({
    type: z.literal('block_actions'),
    user: z.object({ id }).passthrough(),
    channel: z.object({ id }).passthrough().optional(),
    container: z.object({ type: z.string(), message_ts: ts.optional(), channel_id: id.optional(), thread_ts: ts.optional() }).passthrough().optional(),
    message: z.object({ ts, thread_ts: ts.optional() }).passthrough().optional(),
    actions: z.array(z.object({ action_id: z.string().max(255), action_ts: ts.optional() }).passthrough()).min(1),
  })
  .passthrough();

export const slashCommandSchema = z.object({ command: z.string(), text: z.string().max(4000).default(''), user_id: id, channel_id: id, trigger_id: z.string().max(255).optional() }).passthrough();

/** Conversation scope from a Slack conversation id: D = direct message, G = private/group, C = channel. */
export function scopeOfSlackChannel(channelId: string | undefined): ConversationScope {
  if (!channelId || channelId.startsWith('D')) return 'personal';
  return channelId.startsWith('G') ? 'group' : 'channel';
}

/**
 * Slack message text as the learner typed it: links "<https://x|label>" become "label (https://x)",
 * other mentions keep their label, and &amp; &lt; &gt; are unescaped.
 */
export function plainTextOf(slackText: string): string {
  return slackText
    .replace(/<((?:https?|mailto):[^|<>]+)\|([^<>]+)>/g, '$2 ($1)')
    .replace(/<((?:https?|mailto):[^<>]+)>/g, '$1')
    .replace(/<[@#!][^|<>]*\|([^<>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
