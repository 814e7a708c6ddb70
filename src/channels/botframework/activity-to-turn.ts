import { TurnContext, type Activity } from 'botbuilder';
import { TEXT_INPUT_ARG } from '../../intents/reply';
import type { ConversationScope, TurnInput } from '../../core/turn';
import type { UploadedFile } from '../../ports/uploads';
import type { TeamsFileAttachment } from './activity-schema';
import { teamsFileOf } from './teams/teams-file-upload';
import { actionFromSlackChannelData, slackUserIdOf } from '../slack/slack-action-payload';
import { scopeOfSlackChannel } from '../slack/slack-payloads';

const MAX_TYPED_VALUE = 4000;

/** Payload of our Action.Submit / Action.Execute buttons: { command, args }. */
export function actionFromValue(value: unknown): TurnInput['action'] | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  const data = (v.action && typeof v.action === 'object' ? ((v.action as Record<string, unknown>).data as Record<string, unknown>) : v) ?? {};
  if (typeof data.command !== 'string' || !/^[a-z][a-z0-9.-]{0,63}$/.test(data.command)) return undefined;
  const args: Record<string, string> = {};
  const rawArgs = data.args && typeof data.args === 'object' ? (data.args as Record<string, unknown>) : {};
  for (const [k, val] of Object.entries(rawArgs)) if (typeof val === 'string' && val.length <= 512) args[k] = val;
  // Multi-select inputs arrive as a top-level field named "answer" (comma-separated ids).
  if (typeof data.answer === 'string') args.answer = data.answer;
  // A text box (Input.Text) arrives the same way; longer than any box allows is cut, the core bounds it again.
  if (typeof data[TEXT_INPUT_ARG] === 'string') args[TEXT_INPUT_ARG] = (data[TEXT_INPUT_ARG] as string).slice(0, MAX_TYPED_VALUE);
  return { command: data.command, args };
}

/** The id a learner is keyed by: the Entra object id in Teams, the Slack user id via Azure, else from.id. */
export function learnerUserIdOf(activity: Pick<Activity, 'channelId' | 'from'>): string {
  return activity.channelId === 'slack' ? slackUserIdOf(activity.from.id) : (activity.from.aadObjectId ?? activity.from.id);
}

export function scopeOf(activity: Partial<Activity>): ConversationScope {
  // Slack through Azure: "<bot>:<team>:<Slack conversation>", whose first letter says what it is
  // (isGroup is false in a channel of two, which must not pass for the learner's own chat).
  const slackConversation = activity.channelId === 'slack' ? activity.conversation?.id?.split(':')[2] : undefined;
  if (slackConversation) return scopeOfSlackChannel(slackConversation);
  const type = activity.conversation?.conversationType;
  if (type === 'channel') return 'channel';
  if (type === 'groupChat' || activity.conversation?.isGroup) return 'group';
  return 'personal';
}

/** Teams names the tenant in channelData.tenant.id (and conversation.tenantId); other channels carry none. */
export function tenantOf(activity: Partial<Activity>): string | undefined {
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  if (typeof channelData?.tenant?.id === 'string') return channelData.tenant.id;
  return activity.conversation?.tenantId || undefined;
}

/** Maps a Bot Framework activity to a channel-neutral turn, or undefined when there is nothing to do. */
export interface ActivityToTurnOptions {
  /** Makes an attached file readable by the core (Teams file.download.info); without it files are ignored. */
  upload?: (file: TeamsFileAttachment) => UploadedFile;
}

export function activityToTurn(context: TurnContext, options: ActivityToTurnOptions = {}): TurnInput | undefined {
  const activity = context.activity;
  const base = {
    channelId: activity.channelId,
    userId: learnerUserIdOf(activity),
    userName: activity.from.name || undefined,
    conversationId: activity.conversation.id,
    threadId: threadRootOf(activity.conversation.id),
    scope: scopeOf(activity),
    activityId: activity.id,
    locale: activity.locale ?? localeFromEntities(activity),
    timezone: activity.localTimezone || undefined,
    tenantId: tenantOf(activity),
  };
  switch (activity.type) {
    case 'message': {
      const action = actionFromValue(activity.value) ?? (activity.channelId === 'slack' ? actionFromSlackChannelData(activity.channelData) : undefined);
      if (action) return { ...base, action };
      const text = TurnContext.removeRecipientMention(activity as Activity)?.trim() ?? activity.text?.trim() ?? '';
      const file = options.upload ? teamsFileOf(activity.attachments) : undefined;
      return { ...base, text, ...(file && options.upload ? { upload: options.upload(file) } : {}) };
    }
    case 'conversationUpdate': {
      const botAdded = (activity.membersAdded ?? []).some((m) => m.id === activity.recipient.id);
      const userJoinedPersonal = base.scope === 'personal' && (activity.membersAdded ?? []).some((m) => m.id !== activity.recipient.id);
      if (!botAdded && !userJoinedPersonal) return undefined;
      // Welcome the person in personal chats; in groups the bot is the one added.
      const joined = userJoinedPersonal ? activity.membersAdded!.find((m) => m.id !== activity.recipient.id) : undefined;
      const userId = joined ? (joined.aadObjectId ?? joined.id) : base.userId;
      return { ...base, userId, event: 'installed' };
    }
    case 'invoke': {
      // Teams universal actions (Action.Execute): value = { action: { verb, data: { command, args } } }.
      if (activity.name !== 'adaptiveCard/action') return undefined;
      const action = actionFromValue(activity.value);
      return action ? { ...base, action } : undefined;
    }
    case 'installationUpdate':
      return activity.action === 'add' || activity.action === 'add-upgrade' ? { ...base, event: 'installed' } : undefined;
    default:
      return undefined;
  }
}

/** A Teams channel thread's root message id, carried on the conversation id (";messageid=<root>"). */
export function threadRootOf(conversationId: string): string | undefined {
  const at = conversationId.indexOf(';messageid=');
  return at < 0 ? undefined : conversationId.slice(at + ';messageid='.length) || undefined;
}

/** True when the message @mentions the bot itself (Teams puts each mention in entities). */
export function mentionsBot(activity: Partial<Activity>): boolean {
  const botId = activity.recipient?.id;
  return (activity.entities ?? []).some((e) => e.type === 'mention' && (e as { mentioned?: { id?: unknown } }).mentioned?.id === botId);
}

function localeFromEntities(activity: Partial<Activity>): string | undefined {
  const info = activity.entities?.find((e) => e.type === 'clientInfo') as { locale?: string } | undefined;
  return info?.locale;
}
