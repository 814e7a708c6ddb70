import { TurnContext, type Activity } from 'botbuilder';
import type { ConversationScope, TurnInput } from '../../core/turn';
import { actionFromSlackChannelData, slackUserIdOf } from '../slack/slack-action-payload';

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
  return { command: data.command, args };
}

/** The id a learner is keyed by: the Entra object id in Teams, the Slack user id via Azure, else from.id. */
export function learnerUserIdOf(activity: Pick<Activity, 'channelId' | 'from'>): string {
  return activity.channelId === 'slack' ? slackUserIdOf(activity.from.id) : (activity.from.aadObjectId ?? activity.from.id);
}

export function scopeOf(activity: Partial<Activity>): ConversationScope {
  const type = activity.conversation?.conversationType;
  if (type === 'channel') return 'channel';
  if (type === 'groupChat' || activity.conversation?.isGroup) return 'group';
  return 'personal';
}

/** Teams names the tenant in channelData.tenant.id (and conversation.tenantId); other channels carry none. */
function tenantOf(activity: Partial<Activity>): string | undefined {
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  if (typeof channelData?.tenant?.id === 'string') return channelData.tenant.id;
  return activity.conversation?.tenantId || undefined;
}

/** Maps a Bot Framework activity to a channel-neutral turn, or undefined when there is nothing to do. */
export function activityToTurn(context: TurnContext): TurnInput | undefined {
  const activity = context.activity;
  const base = {
    channelId: activity.channelId,
    userId: learnerUserIdOf(activity),
    userName: activity.from.name || undefined,
    conversationId: activity.conversation.id,
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
      return { ...base, text };
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

function localeFromEntities(activity: Partial<Activity>): string | undefined {
  const info = activity.entities?.find((e) => e.type === 'clientInfo') as { locale?: string } | undefined;
  return info?.locale;
}
