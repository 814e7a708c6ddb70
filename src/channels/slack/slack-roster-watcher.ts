import type { App as BoltApp } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../../logging/logger';
import type { RosterMember } from '../../ports/cohort-channels';
import type { SlackCohortChannel } from './slack-cohort-channel';
import { SLACK_CHANNEL_ID } from './slack-channel';

const memberJoinedSchema = z.object({ type: z.literal('member_joined_channel'), user: z.string().min(1).max(64), channel: z.string().min(1).max(64) }).passthrough();

/** Someone joining a Slack channel (member_joined_channel) is passed on, so that channel's cohort picks them up. */
export function watchSlackRoster(app: BoltApp, channel: SlackCohortChannel, onJoined: (channelId: string, conversationId: string, joined: RosterMember[]) => Promise<void>, logger: Logger): void {
  app.event('member_joined_channel', async ({ event }) => {
    const parsed = memberJoinedSchema.safeParse(event);
    if (!parsed.success) return;
    try {
      const member = await channel.member(parsed.data.user);
      if (member) await onJoined(SLACK_CHANNEL_ID, parsed.data.channel, [member]);
    } catch (err) {
      logger.warn({ err }, 'Slack channel joiner not added to the cohort');
    }
  });
}
