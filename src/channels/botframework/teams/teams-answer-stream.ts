import type { Activity, TurnContext } from 'botbuilder';
import type { Reply } from '../../../intents/reply';
import type { TurnProgress } from '../../../core/turn';
import { isolateLtrRuns } from '../../../i18n/bidi-isolate';
import type { Translate } from '../../../i18n/i18n';
import type { Logger } from '../../../logging/logger';
import { inReadingOrder } from '../../../render/rtl-reading-order';
import type { ActivityRenderer } from '../activity-renderer';
import type { AnswerStream } from '../bot-logic';
import { scopeOf } from '../activity-to-turn';

type StreamType = 'informative' | 'streaming' | 'final';

export interface TeamsAnswerStreamOptions {
  /** Least time between two updates (Teams accepts about one a second); later text waits and is merged. */
  intervalMs: number;
  logger: Logger;
}

/**
 * Teams streaming (one-to-one chats only): a `typing` activity with an informative line, then
 * `typing` activities carrying the whole answer so far, then the final `message`, all naming
 * the stream by the id Teams gave the first one. Undefined where Teams cannot stream: group
 * chats and channels, card actions, and requests that want their replies in the response
 * (expectReplies), which have no id to stream under.
 */
export function teamsAnswerStream(context: TurnContext, options: TeamsAnswerStreamOptions): AnswerStream | undefined {
  const activity = context.activity;
  if (activity.type !== 'message' || scopeOf(activity) !== 'personal' || activity.deliveryMode === 'expectReplies') return undefined;
  return new TeamsAnswerStream(context, options);
}

class TeamsAnswerStream implements AnswerStream {
  private streamId?: string;
  private sequence = 0;
  /** Sends go one after another, in order. */
  private queue: Promise<void> = Promise.resolve();
  private streamed = '';
  private pending?: string;
  private timer?: NodeJS.Timeout;
  private lastSentAt = 0;
  private broken = false;

  constructor(
    private readonly context: TurnContext,
    private readonly options: TeamsAnswerStreamOptions,
  ) {}

  progress(progress: TurnProgress): void {
    if (this.broken) return;
    if (progress.kind === 'status') {
      // An informative line only before the answer starts: after it, it would hide the text.
      if (!this.streamed && this.pending === undefined) this.enqueue('informative', progress.text);
      return;
    }
    this.pending = progress.dir === 'rtl' ? isolateLtrRuns(progress.text) : progress.text;
    if (this.timer) return;
    const wait = Math.max(0, this.lastSentAt + this.options.intervalMs - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  async finish(reply: Reply, renderer: ActivityRenderer, t: Translate): Promise<boolean> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.queue;
    if (!this.streamId || this.broken) return false;
    // The text goes in the message, as Teams' final replaces the streamed text with it; the card keeps the title, sources and buttons.
    const text = reply.text && inReadingOrder(reply).text;
    const card = renderer.render([text ? { ...reply, text: undefined } : reply], t)[0]!;
    const info = { streamId: this.streamId, streamType: 'final' as const };
    try {
      await this.context.sendActivity({
        ...card,
        ...(text ? { text, textFormat: 'markdown' } : {}),
        channelData: { ...(card.channelData ?? {}), ...info },
        entities: [...(card.entities ?? []), { type: 'streaminfo', ...info }],
      });
      return true;
    } catch (err) {
      // Teams refuses the final message when the learner stopped the stream: send the answer as a message of its own.
      this.options.logger.warn({ err, streamId: this.streamId }, 'the final streamed message was refused; sending the answer normally');
      return false;
    }
  }

  private flush(): void {
    this.timer = undefined;
    const text = this.pending;
    this.pending = undefined;
    // Every update must carry the text shown before it; one that does not waits for the final message.
    if (!text || text === this.streamed || !text.startsWith(this.streamed)) return;
    this.streamed = text;
    this.enqueue('streaming', text);
  }

  private enqueue(streamType: StreamType, text: string): void {
    this.queue = this.queue.then(() => this.send(streamType, text));
  }

  private async send(streamType: StreamType, text: string): Promise<void> {
    if (this.broken) return;
    this.lastSentAt = Date.now();
    const info = { streamType, streamSequence: ++this.sequence, ...(this.streamId ? { streamId: this.streamId } : {}) };
    // Both documented forms, as the Teams AI library sends them: botbuilder's connector serializer keeps only an
    // entity's type, so on this SDK channelData carries the stream (the entity does once the edge moves to the Agents SDK).
    try {
      const sent = await this.context.sendActivity({ type: 'typing', text, channelData: info, entities: [{ type: 'streaminfo', ...info }] } as Partial<Activity>);
      this.streamId ??= sent?.id;
      // Without an id there is no stream to continue: the answer goes as a normal message.
      if (!this.streamId) this.broken = true;
    } catch (err) {
      this.broken = true;
      this.options.logger.warn({ err, streamType }, 'a streaming update was refused; the answer will be sent as a normal message');
    }
  }
}
