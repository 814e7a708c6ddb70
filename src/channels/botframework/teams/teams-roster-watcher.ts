import type { TurnContext } from 'botbuilder';
import type { RosterMember } from '../../../ports/cohort-channels';
import { scopeOf } from '../activity-to-turn';
import type { TeamsCohortChannel } from './teams-cohort-channel';

/**
 * People added to a Teams channel (conversationUpdate membersAdded, not the bot itself) are
 * passed on with their roster details, so a cohort of that channel picks them up.
 */
export function teamsRosterWatcher(channel: TeamsCohortChannel, onJoined: (channelId: string, conversationId: string, joined: RosterMember[]) => Promise<void>) {
  return async (context: TurnContext): Promise<void> => {
    const activity = context.activity;
    if (activity.channelId !== 'msteams' || scopeOf(activity) !== 'channel') return;
    if (!(activity.membersAdded ?? []).some((m) => m.id !== activity.recipient?.id)) return;
    await onJoined('msteams', activity.conversation.id, await channel.joinedMembers(context));
  };
}
