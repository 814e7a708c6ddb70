import type { TurnContext } from 'botbuilder';
import type { AppConfig } from '../config/config';
import type { Coach } from '../core/coach';
import type { Localizer } from '../i18n/i18n';
import type { Logger } from '../logging/logger';
import type { StoragePort } from '../ports/storage';
import { submitCardRenderer, teamsCardRenderer } from '../channels/botframework/adaptive-card-activity';
import { ActivityRendererRegistry } from '../channels/botframework/activity-renderer';
import { createBotAuthentication } from '../channels/botframework/bot-authentication';
import { createBotLogic } from '../channels/botframework/bot-logic';
import { ConversationReferenceStore } from '../channels/botframework/conversation-references';
import { BotFrameworkProactiveSender } from '../channels/botframework/proactive-sender';
import { createPersonalReplyRouter } from '../channels/botframework/personal-delivery';
import { createCardActionInvokeHandler } from '../channels/botframework/teams/card-action-invoke';
import { createTeamsDeliverer } from '../channels/botframework/teams/teams-deliverer';
import { teamsAnswerStream } from '../channels/botframework/teams/teams-answer-stream';
import { ServiceUrlPolicy } from '../channels/botframework/service-url-policy';
import { teamsUpload } from '../channels/botframework/teams/teams-file-upload';
import { ValidatedCloudAdapter } from '../channels/botframework/validated-cloud-adapter';
import { createTeamsThreadIntake } from '../channels/botframework/teams/teams-thread-intake';
import { scopeOf, threadRootOf } from '../channels/botframework/activity-to-turn';
import type { DiscussionThreads } from '../core/facilitation/threads/discussion-threads';
import { slackActivityRenderer } from '../channels/botframework/slack-activity-renderer';

export interface BotFrameworkEdge {
  adapter: ValidatedCloudAdapter;
  logic: (context: TurnContext) => Promise<void>;
  /** Proactive messages to learners and groups reached through Bot Framework channels. */
  proactive: BotFrameworkProactiveSender;
  references: ConversationReferenceStore;
  /** Replies → activities per channel (for posts outside a turn, e.g. scheduled discussion prompts). */
  renderers: ActivityRendererRegistry;
  /** Where replies and proactive messages may be sent (the app adds its own web chat connector once listening). */
  serviceUrls: ServiceUrlPolicy;
}

/**
 * The Bot Framework edge (Teams, Slack through Azure, Web Chat): per-channel renderers, the
 * authenticating adapter, conversation references for proactive messages, Teams universal
 * actions and card updates.
 */
export function createBotFrameworkEdge(deps: {
  config: AppConfig;
  coach: Coach;
  localizer: Localizer;
  storage: StoragePort;
  logger: Logger;
  /** Roster changes (conversationUpdate), e.g. cohort members joining a channel. */
  onConversationUpdate?: (context: TurnContext) => Promise<void>;
  /** Replies in discussion threads (Teams channel and group-chat messages without an @mention). */
  threads?: DiscussionThreads;
}): BotFrameworkEdge {
  const { config, coach, localizer, logger } = deps;
  const renderers = new ActivityRendererRegistry()
    .set(['msteams'], teamsCardRenderer)
    // Slack through Azure Bot Service: Block Kit in channelData, never Adaptive Cards (Azure turns those into public images).
    .set(['slack'], slackActivityRenderer)
    // Local web chat (Direct Line): the same cards as Teams, with Action.Submit buttons.
    .set(['webchat', 'directline'], submitCardRenderer);
  const serviceUrls = new ServiceUrlPolicy({ connectorHosts: config.MICROSOFT_APP_ID ? config.CONNECTOR_ALLOWED_HOSTS : [], localServiceUrls: config.LOCAL_SERVICE_URLS });
  const adapter = new ValidatedCloudAdapter(createBotAuthentication(config, serviceUrls));
  adapter.onTurnError = async (context, error) => {
    logger.error({ err: error, activityId: context.activity.id }, 'unhandled turn error');
  };
  const references = new ConversationReferenceStore(deps.storage);
  const proactive = new BotFrameworkProactiveSender({ adapter, appId: config.MICROSOFT_APP_ID ?? '', references, renderers, localizer, logger });
  // Progress, quizzes, certificates asked for in a group or channel go to the learner's own chat.
  const routePersonal = createPersonalReplyRouter({ adapter, appId: config.MICROSOFT_APP_ID ?? '', renderers, localizer, logger, references });
  const logic = createBotLogic({
    coach,
    localizer,
    renderers,
    logger,
    routePersonal,
    // A CSV attached to `cohort enrol` is downloaded only from Teams' file hosts (or a listed local stand-in).
    turnOptions: { upload: (file) => teamsUpload(file, serviceUrls, logger) },
    ...(deps.threads ? { threadMessages: createTeamsThreadIntake(deps.threads, logger) } : {}),
    onConversation: async (context) => {
      await references.remember(context).catch((err) => logger.warn({ err }, 'could not store the conversation reference'));
      if (context.activity.type === 'conversationUpdate' && deps.onConversationUpdate) {
        await deps.onConversationUpdate(context).catch((err) => logger.warn({ err }, 'roster change not applied'));
      }
    },
    invokeHandlers: {
      'adaptiveCard/action': createCardActionInvokeHandler({ coach, localizer, logger, references, proactive, defaultLanguage: config.DEFAULT_LANGUAGE, routePersonal }),
    },
    deliverers: {
      msteams: createTeamsDeliverer(references, logger, async (context, reply, activityId) => {
        const { conversation, channelId } = context.activity;
        // Channel threads are followed by the core (the thread is in the conversation id); a group chat has none: replies quote the card.
        if (!deps.threads || !reply.opensDiscussion || threadRootOf(conversation.id) || scopeOf(context.activity) === 'personal') return;
        await deps.threads.follow({ channelId, conversationId: conversation.id, rootId: activityId, moduleId: reply.opensDiscussion.moduleId, lang: reply.lang, postedAt: new Date() });
      }),
    },
    // With a model, a one-to-one answer streams while it is written.
    streams: { msteams: (context) => teamsAnswerStream(context, { intervalMs: config.TEAMS_STREAM_INTERVAL_MS, logger }) },
  });
  return { adapter, logic, proactive, references, renderers, serviceUrls };
}
