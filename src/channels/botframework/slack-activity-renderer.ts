import type { ActivityRenderer } from './activity-renderer';
import { renderBlockKit } from '../../render/block-kit-renderer';

/**
 * Slack through Azure Bot Service (channelId "slack"): Block Kit in channelData, which the
 * connector posts as the Slack message, with the summary as plain-text fallback. Never
 * an Adaptive Card: Azure turns those into publicly reachable images on Slack.
 */
export const slackActivityRenderer: ActivityRenderer = {
  render: (replies, t) =>
    replies.map((reply) => {
      const message = renderBlockKit(reply, t);
      return { type: 'message', text: message.text, locale: reply.lang, channelData: { text: message.text, blocks: message.blocks } };
    }),
};
