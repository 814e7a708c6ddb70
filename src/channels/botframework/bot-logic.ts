import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import type { Reply } from '../../intents/reply';
import type { Coach } from '../../core/coach';
import type { TurnProgress } from '../../core/turn';
import type { Localizer, Translate } from '../../i18n/i18n';
import type { Logger } from '../../logging/logger';
import { activityToTurn, type ActivityToTurnOptions } from './activity-to-turn';
import type { ActivityRenderer, ActivityRendererRegistry } from './activity-renderer';

/** Handles one invoke activity (e.g. Teams "adaptiveCard/action") and returns its response. */
export type InvokeHandler = (context: TurnContext) => Promise<InvokeResponse>;

/** Sends a turn's rendered activities (one per reply), e.g. updating cards a reply `replaces`. */
export type ReplyDeliverer = (context: TurnContext, replies: Reply[], activities: Partial<Activity>[]) => Promise<void>;

/** Shows a turn's progress while it runs (Teams streaming), then ends with the turn's first reply. */
export interface AnswerStream {
  progress(progress: TurnProgress): void;
  /** Sends `reply` as the end of the stream; false when no stream was started, so the caller sends it as usual. */
  finish(reply: Reply, renderer: ActivityRenderer, t: Translate): Promise<boolean>;
}

export interface BotLogicOptions {
  coach: Coach;
  localizer: Localizer;
  renderers: ActivityRendererRegistry;
  logger: Logger;
  invokeHandlers?: Record<string, InvokeHandler>;
  /** Per channel id; channels without one get plain sendActivities. */
  deliverers?: Record<string, ReplyDeliverer>;
  /** Takes group messages the bot was not asked (replies in discussion threads); true when it took the activity. */
  threadMessages?: (context: TurnContext) => Promise<boolean>;
  /** Called for every turn with a conversation, e.g. to store conversation references. */
  onConversation?: (context: TurnContext) => Promise<void>;
  /** Per channel id: a live view of the turn's progress where the conversation supports one (undefined otherwise). */
  streams?: Record<string, (context: TurnContext) => AnswerStream | undefined>;
  /** Makes files attached to messages readable by the core (see activityToTurn). */
  turnOptions?: ActivityToTurnOptions;
  /** Sends personal replies of a group or channel turn to the learner's own chat; returns what stays. */
  routePersonal?: (context: TurnContext, replies: Reply[]) => Promise<Reply[]>;
}

const INVOKE_RESPONSE = 'invokeResponse';

/** The botbuilder turn logic: activity → core turn → rendered activities. */
export function createBotLogic(options: BotLogicOptions): (context: TurnContext) => Promise<void> {
  const { coach, localizer, renderers, logger } = options;
  return async (context) => {
    const activity = context.activity;
    // Before anything is stored: an unasked channel message is a discussion reply or nothing.
    if (options.threadMessages && (await options.threadMessages(context))) return;
    if (options.onConversation) await options.onConversation(context);
    if (activity.type === 'invoke') {
      const handler = activity.name ? options.invokeHandlers?.[activity.name] : undefined;
      const response: InvokeResponse = handler ? await handler(context) : { status: 501, body: { code: 'not_implemented', message: `invoke "${activity.name}" is not supported` } };
      await context.sendActivity({ type: INVOKE_RESPONSE, value: response });
      return;
    }
    const input = activityToTurn(context, options.turnOptions);
    if (!input) {
      logger.debug({ type: activity.type, channelId: activity.channelId }, 'activity ignored');
      return;
    }
    const stream = options.streams?.[activity.channelId]?.(context);
    const result = await coach.handle(stream ? { ...input, onProgress: (p) => stream.progress(p) } : input);
    let replies = options.routePersonal ? await options.routePersonal(context, result.replies) : result.replies;
    if (!replies.length) return;
    const renderer = renderers.forChannel(activity.channelId);
    const t = localizer.forLanguage(result.lang);
    if (stream && (await stream.finish(replies[0]!, renderer, t))) replies = replies.slice(1);
    if (!replies.length) return;
    const activities = renderer.render(replies, t);
    const deliver = options.deliverers?.[activity.channelId];
    if (deliver) await deliver(context, replies, activities);
    else await context.sendActivities(activities);
  };
}
