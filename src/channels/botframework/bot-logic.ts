import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import type { Reply } from '../../core/reply';
import type { Coach } from '../../core/coach';
import type { Localizer } from '../../i18n/i18n';
import type { Logger } from '../../logging/logger';
import { activityToTurn } from './activity-to-turn';
import type { ActivityRendererRegistry } from './activity-renderer';

/** Handles one invoke activity (e.g. Teams "adaptiveCard/action") and returns its response. */
export type InvokeHandler = (context: TurnContext) => Promise<InvokeResponse>;

/** Sends a turn's rendered activities (one per reply), e.g. updating cards a reply `replaces`. */
export type ReplyDeliverer = (context: TurnContext, replies: Reply[], activities: Partial<Activity>[]) => Promise<void>;

export interface BotLogicOptions {
  coach: Coach;
  localizer: Localizer;
  renderers: ActivityRendererRegistry;
  logger: Logger;
  invokeHandlers?: Record<string, InvokeHandler>;
  /** Per channel id; channels without one get plain sendActivities. */
  deliverers?: Record<string, ReplyDeliverer>;
  /** Called for every turn with a conversation, e.g. to store conversation references. */
  onConversation?: (context: TurnContext) => Promise<void>;
  /** Sends personal replies of a group or channel turn to the learner's own chat; returns what stays. */
  routePersonal?: (context: TurnContext, replies: Reply[]) => Promise<Reply[]>;
}

const INVOKE_RESPONSE = 'invokeResponse';

/** The botbuilder turn logic: activity → core turn → rendered activities. */
export function createBotLogic(options: BotLogicOptions): (context: TurnContext) => Promise<void> {
  const { coach, localizer, renderers, logger } = options;
  return async (context) => {
    const activity = context.activity;
    if (options.onConversation) await options.onConversation(context);
    if (activity.type === 'invoke') {
      const handler = activity.name ? options.invokeHandlers?.[activity.name] : undefined;
      const response: InvokeResponse = handler ? await handler(context) : { status: 501, body: { code: 'not_implemented', message: `invoke "${activity.name}" is not supported` } };
      await context.sendActivity({ type: INVOKE_RESPONSE, value: response });
      return;
    }
    const input = activityToTurn(context);
    if (!input) {
      logger.debug({ type: activity.type, channelId: activity.channelId }, 'activity ignored');
      return;
    }
    const result = await coach.handle(input);
    const replies = options.routePersonal ? await options.routePersonal(context, result.replies) : result.replies;
    if (!replies.length) return;
    const activities = renderers.forChannel(activity.channelId).render(replies, localizer.forLanguage(result.lang));
    const deliver = options.deliverers?.[activity.channelId];
    if (deliver) await deliver(context, replies, activities);
    else await context.sendActivities(activities);
  };
}
