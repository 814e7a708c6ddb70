import type { Activity } from 'botbuilder';
import type { Reply } from '../../intents/reply';
import type { Translate } from '../../i18n/i18n';
import { renderText } from '../../render/text-renderer';

/** Turns channel-neutral replies into Bot Framework activities for one channel. */
export interface ActivityRenderer {
  render(replies: Reply[], t: Translate): Partial<Activity>[];
}

export const textActivityRenderer: ActivityRenderer = {
  render: (replies, t) =>
    replies.map((reply) => ({
      type: 'message',
      text: renderText(reply, t),
      textFormat: 'markdown',
      locale: reply.lang,
    })),
};

/** Picks the renderer by channel id; channels without a specific one get plain text. */
export class ActivityRendererRegistry {
  private readonly byChannel = new Map<string, ActivityRenderer>();

  constructor(private readonly fallback: ActivityRenderer = textActivityRenderer) {}

  set(channelIds: string[], renderer: ActivityRenderer): this {
    for (const id of channelIds) this.byChannel.set(id, renderer);
    return this;
  }

  forChannel(channelId: string): ActivityRenderer {
    return this.byChannel.get(channelId) ?? this.fallback;
  }
}
