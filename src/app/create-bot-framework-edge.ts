import type { TurnContext } from 'botbuilder';
import type { AppConfig } from '../config/config';
import type { Coach } from '../core/coach';
import type { Localizer } from '../i18n/i18n';
import type { Logger } from '../logging/logger';
import type { StoragePort } from '../ports/storage';
import { submitCardRenderer, teamsCardRenderer } from '../render/adaptive-card-renderer';
import { ActivityRendererRegistry } from '../channels/botframework/activity-renderer';
import { createBotAuthentication } from '../channels/botframework/bot-authentication';
import { createBotLogic } from '../channels/botframework/bot-logic';
import { ConversationReferenceStore } from '../channels/botframework/conversation-references';
import { BotFrameworkProactiveSender } from '../channels/botframework/proactive-sender';
import { createPersonalReplyRouter } from '../channels/botframework/personal-delivery';
import { createCardActionInvokeHandler } from '../channels/botframework/teams/card-action-invoke';
import { createTeamsDeliverer } from '../channels/botframework/teams/teams-deliverer';
import { ServiceUrlPolicy } from '../channels/botframework/service-url-policy';
import { ValidatedCloudAdapter } from '../channels/botframework/validated-cloud-adapter';
import { slackActivityRenderer } from '../channels/slack/slack-activity-renderer';

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
  const routePersonal = createPersonalReplyRouter({ adapter, appId: config.MICROSOFT_APP_ID ?? '', renderers, localizer, logger });
  const logic = createBotLogic({
    coach,
    localizer,
    renderers,
    logger,
    routePersonal,
    onConversation: async (context) => {
      await references.remember(context).catch((err) => logger.warn({ err }, 'could not store the conversation reference'));
      if (context.activity.type === 'conversationUpdate' && deps.onConversationUpdate) {
        await deps.onConversationUpdate(context).catch((err) => logger.warn({ err }, 'roster change not applied'));
      }
    },
    invokeHandlers: {
      'adaptiveCard/action': createCardActionInvokeHandler({ coach, localizer, logger, references, proactive, defaultLanguage: config.DEFAULT_LANGUAGE, routePersonal }),
    },
    deliverers: { msteams: createTeamsDeliverer(references, logger) },
  });
  return { adapter, logic, proactive, references, renderers, serviceUrls };
}
